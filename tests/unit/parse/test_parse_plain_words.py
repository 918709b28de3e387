"""A pattern of plain words answers `found_in` by `in` tests, never by its search.

`LazyPattern.found_in` reads a case-insensitive pattern that is only literal
alternatives (`plain_words`) as its words and, for an ASCII text, tests the
text's lower case for them without compiling the pattern. Taking an anchor,
a word boundary, a group or a metacharacter for a literal, or lowering a
word that folds otherwise, would change a hint or a header test: every
format pattern is compared with its compiled search here, on the corpus's
and fixtures' texts, headers and diagnostics, and on texts made around the
patterns' own words.
"""

from __future__ import annotations

import re
from pathlib import Path

from test_parse_lazy_pattern import all_lazy_patterns

from bounce_sink.parse import autoreply
from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.formats.lazy_pattern import LazyPattern, literal_words, plain_words
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree, parse_bytes

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
HEADERS = ("from", "subject", "received", "x-mailer", "x-mlserver", "message-id")


PATTERNS = all_lazy_patterns(autoreply)


def _texts(corpus_dir: Path) -> list[str]:
    texts: set[str] = set()
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        for message in (parse_fast(data), _stdlib_tree(data)):
            if message is None:
                continue
            view = MessageView(message, DEFAULT_LIMITS)
            texts.add(view.body_text)
            texts.update(view.headers.get(name, "") for name in HEADERS)
        for fast in (True, False):
            texts.update(r.diagnostic for r in parse_bytes(data, fast_mime=fast).recipients)
    return sorted(texts)


def _made_texts() -> list[str]:
    """Each pattern's words (anchored ones too) at a line start and inside
    words, in upper, title and lower case, beside twins and non-ASCII."""
    words: set[str] = set()
    for p in PATTERNS:
        words |= literal_words(p.pattern, p.flags) or set()
    texts = []
    for word in sorted(words):
        for shown in (word, word.upper(), word.title(), word[:-1]):
            texts += [
                shown,
                f"x{shown}y",
                f"a b\n{shown}\nc",
                f"> {shown}: <a@example.org>",
                f"{shown} \u00e9",
                shown.replace("k", "\u212a").replace("s", "\u017f"),
            ]
    return texts


def test_plain_words_reads_only_unanchored_literal_alternatives() -> None:
    assert plain_words("over quota|Mailbox is full", re.I) == ("mailbox is full", "over quota")
    assert plain_words(r"(?:mail\.delivery\.system@|<>)", re.I) == ("<>", "mail.delivery.system@")
    for anchored in (r"^failure notice", r"\bfml\b", r"done$", r"a|^b", r"(?:a|b)c", r"a.b"):
        assert plain_words(anchored, re.I) is None, anchored
    assert literal_words(r"\bfml\b", re.I) == frozenset(
        {"fml"}
    )  # a word the text needs, not the answer
    assert plain_words("over quota", 0) is None  # case-sensitive: not read as lower case
    assert plain_words("over quota", re.I | re.VERBOSE) is None
    assert plain_words("\u212aelvin", re.I) is None  # a twin: lower() would not equate it
    assert plain_words("a|", re.I) is None


def test_the_format_modules_hold_plain_patterns() -> None:
    plain = [p for p in PATTERNS if plain_words(p.pattern, p.flags)]
    assert len(plain) >= 30  # the hints and header tests the shortcut is for


def test_found_in_agrees_with_search_on_corpus_texts_and_made_ones(corpus_dir: Path) -> None:
    texts = _texts(corpus_dir) + _made_texts()
    passed = 0
    for pattern in PATTERNS:
        compiled = re.compile(pattern.pattern, pattern.flags)
        for text in texts:
            expected = compiled.search(text) is not None
            assert pattern.found_in(text) is expected, (pattern.pattern, text[:200])
            # The word test first whatever the length (text_bounce's _WORDS_FIRST).
            assert pattern.found_in(text, 0) is expected, (pattern.pattern, text[:200])
            passed += expected and bool(plain_words(pattern.pattern, pattern.flags))
    assert passed > 500  # the plain patterns do answer "found" on these texts


def test_a_plain_pattern_is_not_compiled_for_ascii_text() -> None:
    pattern = LazyPattern("mailbox is full|over quota", re.I | re.M)
    assert pattern.found_in("552 5.2.2 Mailbox is FULL")
    assert not pattern.found_in("550 5.1.1 user unknown")
    assert "search" not in vars(pattern)
    assert pattern.found_in("Mailbox is full \u00e9")  # non-ASCII: searched
    assert "search" in vars(pattern)
