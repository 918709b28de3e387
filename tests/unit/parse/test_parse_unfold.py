"""unfold gives what the former substitution gave, for every header value.

The former way: `re.sub(r"\\r?\\n[ \\t]+", " ", text)`, then CRs dropped and
LFs made spaces. The quicker way must agree on every string, so it is
compared on every short string over the characters that matter, on
generated ones, and on every header value of the corpus and fixtures.
"""

from __future__ import annotations

import email
import itertools
import re
from email._policybase import compat32
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.text_decoding import unfold

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _unfold_as_before(text: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", text).replace("\r", "").replace("\n", " ")


def test_every_short_string_of_blanks_and_line_ends() -> None:
    for size in range(8):
        for chars in itertools.product("a \t\r\n", repeat=size):
            text = "".join(chars)
            assert unfold(text) == _unfold_as_before(text), repr(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "\t", "\r", "\n", "\r\n", "é", "\x0b"])))
def test_generated_strings(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert unfold(text) == _unfold_as_before(text)


def test_every_corpus_and_fixture_header_value(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    folded = 0
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=compat32)
        for part in message.walk():
            for _, value in part.raw_items():
                text = str(value)
                folded += "\n" in text
                assert unfold(text) == _unfold_as_before(text), (path.name, text)
    assert folded > 500  # the corpus holds many folded fields: the test saw them
