"""`first_inline_marker` finds what the case-insensitive marker search finds.

The view looks for pasted original headers with plain finds on the
lower-cased text instead of `_INLINE_ORIGINAL`; a folding it gets wrong
would silently lose (or invent) the returned original of qmail/Exim bounces.
The reference here is the former reading: a word test on the folded text,
then the regex.
"""

from __future__ import annotations

import email
import re
from email._policybase import compat32
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import (
    _INLINE_ORIGINAL,
    _INLINE_ORIGINAL_WORDS,
    MessageView,
    first_inline_marker,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _reference(text: str) -> int:
    folded = text.lower()
    if not folded.isascii():
        folded = folded.replace("\u0131", "i").replace("\u017f", "s")
    if not any(w in folded for w in _INLINE_ORIGINAL_WORDS):
        return -1
    m = re.search(_INLINE_ORIGINAL, text)
    return m.start() if m else -1


def test_every_corpus_and_fixture_text(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    found = 0
    for path in paths:
        data = path.read_bytes()
        for message in (parse_fast(data), email.message_from_bytes(data, policy=compat32)):
            if message is None:
                continue
            text = MessageView(message, DEFAULT_LIMITS).body_text
            assert first_inline_marker(text) == _reference(text), path.name
            found += first_inline_marker(text) >= 0
    assert found > 20  # the corpus has many inline originals


def test_each_word_in_any_case_and_with_unicode_folds() -> None:
    for word in _INLINE_ORIGINAL_WORDS:
        for variant in (
            word,
            word.upper(),
            word.title(),
            word.replace("i", "\u0131"),  # dotless i: IGNORECASE equates it with i
            word.replace("s", "\u017f"),  # long s: likewise with s
            word.replace("i", "\u0130"),  # dotted capital I: two characters lowered
        ):
            for text in (variant, f"x\u0130 {variant} y", f"Hi,\n\n{word}\n--- {variant}\n"):
                assert first_inline_marker(text) == _reference(text), text


@settings(max_examples=400, deadline=None)
@given(
    before=st.text(alphabet="aAiIsS \n\u0130\u0131\u017f\u212a-", max_size=20),
    word=st.sampled_from(_INLINE_ORIGINAL_WORDS),
    swap=st.text(alphabet="IiSs\u0130\u0131\u017f", min_size=1, max_size=1),
    after=st.text(max_size=20),
)
def test_framed_words(before: str, word: str, swap: str, after: str) -> None:
    for variant in (word, word.replace(swap.lower()[:1], swap, 1)):
        text = before + variant + after
        assert first_inline_marker(text) == _reference(text), text
