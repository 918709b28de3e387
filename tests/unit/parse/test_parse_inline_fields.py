"""`inline_fields_start` finds where `_INLINE_FIELDS.search` matches.

The pipeline reads delivery-status fields pasted into a text from the line
this gives; a line start other than the search's (a name after other words,
a colon that is not there, whitespace read differently) would read other
fields or none.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.pipeline import _INLINE_FIELDS, inline_fields_start


def _same(text: str) -> int:
    m = _INLINE_FIELDS.search(text)
    expected = m.start() if m else -1
    assert inline_fields_start(text, text.lower()) == expected, text
    return expected


def test_known_shapes() -> None:
    assert _same("Reporting-MTA: dns; mx.example.org\n") == 0
    assert _same("intro\n>  Final-Recipient : rfc822; a@example.org") == 6
    assert _same("the final-recipient: was\nOriginal-Recipient\n\n  :x") == 25
    assert _same("x-reporting-mta: a\n") == -1
    assert _same("reporting-mta\x1c: a") == 0  # \x1c is whitespace to both
    assert _same("final-recipient x: a\nfinal-recipient:") == 21


def test_corpus_and_fixture_texts_agree(view_texts: list[tuple[Path, list[str]]]) -> None:
    found = 0
    for _path, texts in view_texts:
        for text in texts:
            found += _same(text) >= 0
    assert found > 50


_PIECES = [
    "Reporting-MTA",
    "reporting-mta",
    "Final-Recipient",
    "FINAL-RECIPIENT",
    "Original-Recipient",
    "original-recipient",
    "x-",
    "the ",
    ">",
    "> ",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x1c",
    "\u00a0",
    "\u2003",
    ":",
    " : ",
    "dns; mx.example.org",
    "rfc822; a@example.org",
    "\u0130",
    "\u0131",
    "F\u0131nal-Recipient",
    "repor\u0131ing-mta",
    "\u00e9",
    "\u00e9\n",
    "x",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_generated_texts_agree(pieces: list[str]) -> None:
    _same("".join(pieces))
