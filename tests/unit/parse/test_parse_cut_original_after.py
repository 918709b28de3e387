"""A format's failure text cut from the whole text's cuts is the rest of the text cut itself.

`failure_text` takes the text after a format's heading and cuts it at the
returned original (its marker, then headers pasted above it). It reuses
the cuts found in the whole text, checking only the rest's first line
itself. A pattern that looked before its match, or a wrong offset, would
cut the failure list in the wrong place; these tests compare with the
plain searches of the rest.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.formats import REGISTRY
from bounce_sink.parse.formats.text_bounce import _PASTED_HEADERS, _cut_original_after
from bounce_sink.parse.limits import Limits
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.prose import ORIGINAL_MARKERS

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _plain_cut(text: str) -> str:
    m = ORIGINAL_MARKERS.search(text)
    if m:
        text = text[: m.start()]
    m = _PASTED_HEADERS.search(text)
    return text[: m.start()] if m else text


def _offsets(text: str) -> list[int]:
    """Every line start, the character after it and after each colon, and where formats start."""
    found = {0, len(text)}
    for i, ch in enumerate(text):
        if ch == "\n":
            found.update((i + 1, i + 2))
        elif ch == ":":
            found.add(i + 1)
    for fmt in REGISTRY:
        start = getattr(getattr(fmt, "layout", None), "start", None)
        if start is not None:
            m = start.search(text)
            if m:
                found.add(m.end())
    return sorted(at for at in found if at <= len(text))


def test_corpus_and_fixture_texts_agree_at_every_offset(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    compared = reused = 0
    for path in files:
        message = parse_fast(path.read_bytes())
        if message is None:
            continue
        text = MessageView(message, Limits()).body_text
        whole = _plain_cut(text)
        for at in _offsets(text)[:400]:
            rest = text[at:]
            assert _cut_original_after(text, at) == _plain_cut(rest), (path.name, at)
            compared += 1
            reused += len(whole) > at
    assert compared > 5000 and reused > 1000


_LINES = [
    "Delivery to the following recipients failed:",
    "  user@example.org",
    "--- Original message ---",
    "original message follows",
    "Received: from mx.example.org",
    "> Return-Path: <a@example.org>",
    "Message-ID:<x@example.org>",
    "DKIM-Signature: v=1",
    "Subject: hello",
    "",
    "  ",
    "---",
    "the following is the original",
    "x--- Original message",
    "see: original message follows",
    "Note: Received: from mx.example.org",
    "zz> Return-Path: <a@example.org>",
]


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.sampled_from(_LINES), max_size=10))
def test_generated_texts_agree_at_every_offset(lines: list[str]) -> None:
    text = "\n".join(lines)
    for at in range(len(text) + 1):
        assert _cut_original_after(text, at) == _plain_cut(text[at:]), at
