"""The format readers answer the same when handed what they have already.

failure_text passes `view.body_text_lower` to the original's cuts and to
the heading search, and the cuts pass a slice of it to the pasted-headers
search (where lowering kept every position): compared with lowering inside
over every corpus and fixture body text and generated texts holding the
letters whose lower case is longer (İ) or depends on what follows (Σ).
read_text_bounce takes a layout's own failure text for GENERIC's when the
layout has neither heading nor end: compared on every message.
"""

from __future__ import annotations

import email
import sys
from email._policybase import compat32
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import bounce_sink.parse.formats  # noqa: F401 - every format module, for _layouts
from bounce_sink.parse.formats.text_bounce import (
    _PASTED_HEADERS,
    GENERIC,
    TextLayout,
    _original_cuts,
    failure_text,
)
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _cuts_both_ways(text: str) -> None:
    _original_cuts.cache_clear()
    with_lower = _original_cuts(text, text.lower())
    _original_cuts.cache_clear()
    assert with_lower == _original_cuts(text), text[:200]


def test_every_corpus_and_fixture_text(body_texts: list[tuple[Path, str]]) -> None:
    cut = 0
    for _path, text in body_texts:
        _cuts_both_ways(text)
        cut += _original_cuts(text)[1] < len(text)
    assert cut > 50  # originals were there to cut at


_PIECES = [
    "Received: from mx.example.org\n",
    "Return-Path: <a@example.org>\n",
    "----- Original message -----\n",
    "The original message was received\n",
    "\u0130",
    "\u0130" * 30,
    "\u03a3",
    "\u03a3a ",
    "\u212a",
    "hello\n",
    "\n\n",
    " ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_generated_texts(text: str) -> None:
    _cuts_both_ways(text)
    for end in range(0, len(text) + 1, 7):
        head = text[:end]
        lower = text.lower()
        if len(lower) == len(text):
            assert _PASTED_HEADERS.may_match(head, lower[:end]) is _PASTED_HEADERS.may_match(head)


def test_a_longer_lower_case_is_not_sliced() -> None:
    # Each dotted capital I lowers to two characters: a slice of the lower
    # case at the marker would end 40 characters early. (It is also a case
    # twin of "i", so the word test leaves such a text to the search.)
    text = "\u0130" * 40 + "\nReceived: from mx\n----- Original message -----\nx\n"
    _cuts_both_ways(text)
    assert _original_cuts(text, text.lower())[1] == 41


def _layouts() -> list[TextLayout]:
    found: dict[int, TextLayout] = {}
    for name, module in sorted(sys.modules.items()):
        if name.startswith("bounce_sink.parse.formats."):
            for value in vars(module).values():
                layout = getattr(value, "layout", value)
                if isinstance(layout, TextLayout):
                    found[id(layout)] = layout
    return list(found.values())


def test_a_layout_without_heading_or_end_reads_the_generic_text(corpus_dir: Path) -> None:
    # read_text_bounce takes such a layout's failure text for GENERIC's
    # (the delay-notice test reads GENERIC's) instead of cutting it again.
    plain = [lay for lay in _layouts() if lay.start is None and lay.end is None]
    assert len(plain) > 5
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=compat32)
        view = MessageView(message, DEFAULT_LIMITS)
        generic = failure_text(view, GENERIC)
        for layout in plain:
            assert failure_text(view, layout) == generic, path.name
