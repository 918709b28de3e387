"""Readers given the view's lower-cased text answer as when they lower it themselves.

The view keeps `body_text.lower()` once for the word tests of the ARF
reader, the inline delivery-status reader and the inline-original marker.
Each is compared with its own lowering on every corpus and fixture message
and on generated texts (non-ASCII ones whose lower case changes length).
"""

from __future__ import annotations

import email
from email._policybase import compat32
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.arf import has_text_report
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView, first_inline_marker
from bounce_sink.parse.pipeline import may_hold_inline_fields

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _same_answers(text: str, lower: str) -> None:
    assert first_inline_marker(text, lower) == first_inline_marker(text)
    assert may_hold_inline_fields(text, lower) == may_hold_inline_fields(text)
    assert has_text_report(text, lower) == has_text_report(text)


def test_every_corpus_and_fixture_text(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=compat32)
        view = MessageView(message, DEFAULT_LIMITS)
        assert view.body_text_lower == view.body_text.lower()
        _same_answers(view.body_text, view.body_text_lower)


_PIECES = [
    "Feedback-Type: abuse\n",
    "User-Agent: x\n",
    "Final-Recipient: rfc822; a@example.com\n",
    "--- Original message follows ---\n",
    "Subject: x\n",
    "\u0130",
    "\u212a",
    "é",
    "a" * 1000,
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_generated_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    _same_answers(text, text.lower())
