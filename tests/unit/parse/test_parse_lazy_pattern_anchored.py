"""A pattern of literal words anchored at a line start answers `found_in` without compiling.

`anchored_words` reads "^failure notice", "^mail delivery failed$",
"^delivery (?:failure|report):", "^undeliverable mail\\b" as words a line
starts with (and ends with, or is followed by no word character); on a
one-line ASCII text `LazyPattern.found_in` answers by `startswith` on the
lower case instead of compiling the pattern (~15 subject tests a cold run
compiled). A wrong answer would send a message to the wrong format, so
every such pattern the parse package makes is compared with its compiled
search on every header value and body line of the corpus and fixtures and
on generated texts around each word (case, what follows, line ends, case
twins), and patterns it must not read are checked to give None.
"""

from __future__ import annotations

import email
import re
from email._policybase import compat32
from pathlib import Path

import pytest

from bounce_sink.parse.formats.lazy_pattern import LazyPattern, anchored_words, made_patterns

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"
MESSAGES = sorted(CORPUS.glob("*.eml")) + sorted((REPO / "fixtures").rglob("*.eml"))
ANCHORED = [
    (p.pattern, p.flags, words)
    for p in made_patterns()
    if (words := anchored_words(p.pattern, p.flags)) is not None
]


def _found(pattern: str, flags: int, text: str) -> bool:
    return LazyPattern(pattern, flags).found_in(text)


def _message_texts() -> list[str]:
    texts: set[str] = set()
    for path in MESSAGES:
        raw = path.read_bytes()
        message = email.message_from_bytes(raw, policy=compat32)
        texts.update(str(value) for value in message.values())
        texts.update(raw.decode("utf-8", "replace").splitlines())
    return sorted(texts)


_AFTER = ("", "x", " x", "_", "-", ":", "1", "\n", "\nx", "\r", "\u00e9")


def _generated(word: str) -> list[str]:
    texts = []
    for shown in (word, word.upper(), word.title(), word.swapcase()):
        texts += [shown + after for after in _AFTER]
        texts += ["x\n" + shown, "x" + shown, " " + shown, shown[:-1]]
        texts += [shown.replace("s", "\u017f"), shown.replace("k", "\u212a")]
    return texts


def test_the_subject_tests_are_read() -> None:
    assert len(ANCHORED) >= 15
    ends = {end for _, _, words in ANCHORED for _, end in words}
    assert ends == {"", "$", "\\b"}


def test_found_in_answers_as_the_search_on_every_message_text() -> None:
    texts = _message_texts()
    assert len(texts) > 10_000
    hits = 0
    for pattern, flags, _ in ANCHORED:
        compiled = re.compile(pattern, flags)
        for text in texts:
            expected = compiled.search(text) is not None
            assert _found(pattern, flags, text) is expected, (pattern, text)
            hits += expected
    assert hits > 50


def test_found_in_answers_as_the_search_on_generated_texts() -> None:
    hits = 0
    for pattern, flags, words in ANCHORED:
        compiled = re.compile(pattern, flags)
        for word, _ in words:
            for text in _generated(word):
                expected = compiled.search(text) is not None
                assert _found(pattern, flags, text) is expected, (pattern, text)
                hits += expected
    assert hits > 200


def test_a_one_line_ascii_text_compiles_nothing() -> None:
    for pattern, flags, words in ANCHORED:
        for text in (words[0][0].upper(), "no such subject"):
            lazy = LazyPattern(pattern, flags)
            lazy.found_in(text)
            assert "search" not in vars(lazy), (pattern, text)


@pytest.mark.parametrize(
    "pattern",
    [
        "failure notice",  # not anchored: plain_words' case
        "^failure notice|mail failure",
        "^failure.notice",
        "^failure\\d",
        "^(?:a|(?:b|c))",
        "^caf\u017f",  # a case twin
        "^failure:\\b",  # \b after a non-word character
        "(?i)^failure",
        "^failure notice$|^x(?=y)",
    ],
)
def test_other_patterns_are_not_read(pattern: str) -> None:
    assert anchored_words(pattern, re.IGNORECASE | re.MULTILINE) is None


def test_only_case_insensitive_patterns_are_read() -> None:
    assert anchored_words("^failure notice", re.MULTILINE) is None
    assert anchored_words("^failure notice", re.IGNORECASE) == (("failure notice", ""),)
    assert anchored_words("^a\\.b\\b", re.IGNORECASE) == (("a.b", "\\b"),)
    # An escaped backslash before a b is the two characters, not a boundary.
    assert anchored_words("^a\\\\b", re.IGNORECASE) == (("a\\b", ""),)
    assert _found("^a\\\\b", re.IGNORECASE, "A\\bc")
    assert not _found("^a\\\\b", re.IGNORECASE, "a b")
