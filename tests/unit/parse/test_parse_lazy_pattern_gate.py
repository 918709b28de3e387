"""Before a format pattern is compiled, a text without its words gets "no match" from every method.

`LazyPattern` compiles on the first call whose text may hold a match
(`may_match`: the text holds a word of each set of one of the pattern's
options); a call on a text without them answers as the compiled pattern
would with no match, and compiles nothing. A wrong "no match" would make a
format miss its message, so every method of every pattern the parse package
makes is compared, before compiling, with the compiled pattern's answer on
every corpus and fixture message and on texts made of the pattern's words.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bounce_sink.parse.formats.lazy_pattern import LazyPattern, made_patterns

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"
MESSAGES = sorted(CORPUS.glob("*.eml")) + sorted((REPO / "fixtures").rglob("*.eml"))
PATTERNS = [(p.pattern, p.flags) for p in made_patterns()]


def _spans(found: Any) -> Any:
    """A comparable form of a method's answer (matches by span and groups)."""
    if isinstance(found, re.Match):
        return ("match", found.span(), found.groups())
    if isinstance(found, list):
        return [_spans(x) for x in found]
    if found is None or isinstance(found, str | tuple):
        return found
    return [_spans(x) for x in found]  # an iterator of matches


def _calls(text: str) -> dict[str, Any]:
    return {
        "search": lambda p: p.search(text),
        "match": lambda p: p.match(text),
        "fullmatch": lambda p: p.fullmatch(text),
        "finditer": lambda p: p.finditer(text),
        "findall": lambda p: p.findall(text),
        "sub": lambda p: p.sub("<>", text),
        "split": lambda p: p.split(text),
    }


def _agree(pattern: str, flags: int, text: str) -> bool:
    """Whether each method of a fresh (uncompiled) LazyPattern answers as the
    compiled pattern on `text`; True when the text passed the word test."""
    compiled = re.compile(pattern, flags)
    passed = False
    for name, call in _calls(text).items():
        lazy = LazyPattern(pattern, flags)
        got = _spans(call(lazy))
        passed = "search" in vars(lazy)
        assert got == _spans(call(compiled)), (pattern, name, text[:200])
    return passed


def _texts() -> list[str]:
    texts = []
    for path in MESSAGES:
        raw = path.read_bytes()
        texts.append(raw.decode("utf-8", "replace"))
    return texts


def test_a_message_the_word_test_rules_out_holds_no_match() -> None:
    """Over every corpus and fixture message: where the word test says no,
    the compiled pattern finds nothing; and for the first such message of
    each pattern every method answers as the compiled pattern does."""
    texts = _texts()
    assert len(texts) > 280 and len(PATTERNS) > 120
    ruled_out = 0
    for pattern, flags in PATTERNS:
        compiled = re.compile(pattern, flags)
        first = True
        for text in texts:
            if LazyPattern(pattern, flags).may_match(text):
                continue
            ruled_out += 1
            assert compiled.search(text) is None, (pattern, text[:200])
            if first:
                assert not _agree(pattern, flags, text)
                first = False
    assert ruled_out > 10_000  # most messages lack most patterns' words


def test_every_method_answers_as_compiled_on_texts_of_the_pattern_words() -> None:
    """Texts that pass the word test (each option's words, alone and in
    capitals, or with a word left out) are searched as compiled."""
    for made in made_patterns():
        for option in made.options():
            words = [sorted(c)[0] for c in option]
            for text in {
                " ".join(words),
                "x ".join(words).upper(),
                "> " + ":\n".join(words) + "\n",
                " ".join(words[1:]),
            }:
                _agree(made.pattern, made.flags, text)


def test_a_text_without_the_words_compiles_nothing() -> None:
    pattern = LazyPattern(r"\bno such (?:user|mailbox)\b", re.IGNORECASE)
    assert pattern.search("550 5.1.1 mailbox full") is None
    assert list(pattern.finditer("mailbox full")) == []
    assert pattern.findall("mailbox full") == []
    assert pattern.sub("", "mailbox full") == "mailbox full"
    assert pattern.split("mailbox full") == ["mailbox full"]
    assert "search" not in vars(pattern)
    found = pattern.search("550 No Such User here")
    assert found is not None and found.group() == "No Such User"
    assert "search" in vars(pattern)  # compiled: no word test any more


@pytest.mark.parametrize(
    "text",
    ["\u212aelvin", "user \u212aelvin here", "\u017fomething"],
)
def test_a_case_twin_of_an_ascii_letter_is_searched(text: str) -> None:
    """The Kelvin sign and long s match 'k' and 's' case-insensitively: a
    lower-case word test cannot rule those texts out."""
    for pattern in (r"kelvin", r"something"):
        expected = re.search(pattern, text, re.IGNORECASE)
        got = LazyPattern(pattern, re.IGNORECASE).search(text)
        assert _spans(got) == _spans(expected)
