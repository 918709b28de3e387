"""The inline delivery-status reader takes quoting off as the per-line substitution did.

Only lines starting with ">" are given to the substitution now; every
other line must come out as it went in, and quoted ones as before.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.pipeline import _QUOTE_MARKS


def _unquoted_as_before(line: str) -> str:
    return re.sub(r"^(?:> ?)+", "", line)


def _unquoted_now(line: str) -> str:
    return re.sub(_QUOTE_MARKS, "", line, count=1) if line[:1] == ">" else line


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([">", "> ", " ", "a", ":", ">>", "\t", "é"]), max_size=12))
def test_generated_lines(pieces: list[str]) -> None:
    text = "".join(pieces)
    for line in text.splitlines() or [text]:
        assert _unquoted_now(line) == _unquoted_as_before(line)


def test_usual_quoting() -> None:
    for line in ("> > Final-Recipient: rfc822; a@example.com", ">>Status: 5.1.1", " > x", "x > y"):
        assert _unquoted_now(line) == _unquoted_as_before(line)
