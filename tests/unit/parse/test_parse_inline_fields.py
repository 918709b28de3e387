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

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _INLINE_FIELDS, _stdlib_tree, inline_fields_start

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


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


def test_corpus_and_fixture_texts_agree(corpus_dir: Path) -> None:
    found = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
        texts = [view.body_text, *view.body_text.splitlines()]
        for part in view.delivery_status_parts:
            payload = part.get_payload()
            texts.append(payload if isinstance(payload, str) else str(part))
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
