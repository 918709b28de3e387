"""_pasted_block reads whether pasted headers start from the first line alone,
and gives what splitting the whole text first gave.

Compared with the former reading (kept here) below every line of the body
text of every corpus and fixture message, and on generated texts of field
names, colons, indents and every kind of line break splitlines() knows.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.message_view import MessageView, _pasted_block


def _former(rest: str) -> str | None:
    lines = rest.splitlines()[:200]
    if lines and lines[0][:1] in (" ", "\t") and ":" in lines[0]:
        lines = [ln.strip() for ln in lines]
    block = "\n".join(lines)
    return block if re.match(r"[A-Za-z][\w-]*:", block) else None


def test_below_every_line_of_every_message_reads_as_before(
    quick_views: list[tuple[Path, MessageView]],
) -> None:
    compared = found = 0
    for path, view in quick_views:
        text = view.body_text
        offset = 0
        while offset >= 0:
            rest = text[offset:].lstrip("\n")
            expected = _former(rest)
            assert _pasted_block(rest) == expected, (path.name, offset)
            compared += 1
            found += expected is not None
            end = text.find("\n", offset)
            offset = -1 if end < 0 else end + 1
    assert compared > 10000
    assert found > 1000  # both answers are exercised


_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["From", "X-Id", "to", "Subject", "9a", "_x", "", "a b"]),
            st.sampled_from([":", " :", ": v", " ", "\t", "  "]),
            st.sampled_from(_BREAKS),
            st.text(alphabet="ab:- \t\r\n\x0b\x85", max_size=6),
        ),
        max_size=12,
    )
)
def test_generated_texts_read_as_before(pieces: list[str]) -> None:
    rest = "".join(pieces)
    assert _pasted_block(rest) == _former(rest)
