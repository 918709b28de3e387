"""A pattern of line-anchored literal words answers `found_in` by string tests.

`LazyPattern.found_in` reads a case-insensitive pattern whose alternatives
are literal text with "^" before or "$" after (`line_words`) as start, end,
whole-text and `in` tests of an ASCII text's lower case, and never compiles
it for such a text. Reading "^" or "$" wrong (MULTILINE or not, the final
line break "$" passes over) would change a format's header test: the tests
are compared with the compiled search on generated patterns and texts, and
every format pattern they read on the corpus's and fixtures' texts.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from test_parse_lazy_pattern import all_lazy_patterns
from test_parse_plain_words import _texts

from bounce_sink.parse import autoreply
from bounce_sink.parse.formats.lazy_pattern import LazyPattern, line_words

PATTERNS = [p for p in all_lazy_patterns(autoreply) if line_words(p.pattern, p.flags)]
FLAGS = (re.I, re.I | re.M)


def test_line_words_reads_only_anchored_literal_alternatives() -> None:
    assert line_words("^failure notice", re.I | re.M) == (
        ("\nfailure notice",),
        ("failure notice",),
        (),
        frozenset(),
    )
    assert line_words("^Done$", re.I) == ((), (), (), frozenset({"done", "done\n"}))
    assert line_words(r"a\.b$|c", re.I) == (("c",), (), ("a.b", "a.b\n"), frozenset())
    words = line_words("^(?:a|b c)$", re.I | re.M)
    assert words is not None and words[3] == frozenset({"a", "b c"})
    for other in (
        "plain words",  # plain_words' (no anchor)
        "^failure notice",  # case-sensitive
        r"^\bfml",
        r"^a\$",
        "^(?:a)b",
        "^(?:a|b)|c",
        "^a.b",
        r"^\s*a",
        "^",
        "^\u212aelvin",
        "^(?:a|(?:b))",
    ):
        flags = 0 if other == "^failure notice" else re.I
        assert line_words(other, flags) is None, other


def _generated_patterns() -> list[str]:
    words = ["fail", "Mail Delivery", r"a\.b", "x: "]
    patterns = []
    for word, other in itertools.product(words, repeat=2):
        for lead, trail in itertools.product(("", "^"), ("", "$")):
            patterns.append(f"{lead}{word}{trail}")
            patterns.append(f"{lead}{word}|{other}{trail}")
            patterns.append(f"{lead}(?:{word}|{other}){trail}")
    return patterns


def _generated_texts() -> list[str]:
    texts = [""]
    for word in ("fail", "mail delivery", "a.b", "x: "):
        for shown in (word, word.upper(), word.title()):
            for before, after in itertools.product(("", "\n", "z", "y\n", "\n\n"), repeat=2):
                texts.append(f"{before}{shown}{after}")
            texts += [f"{shown}{shown}", f"{shown}\r\n", f"\r{shown}", f"{shown} \u00e9"]
    return texts


def test_generated_patterns_answer_as_their_search() -> None:
    texts = _generated_texts()
    read = 0
    for pattern, flags in itertools.product(_generated_patterns(), FLAGS):
        if line_words(pattern, flags) is None:
            continue
        read += 1
        compiled = re.compile(pattern, flags)
        lazy = LazyPattern(pattern, flags)
        for text in texts:
            assert lazy.found_in(text) is (compiled.search(text) is not None), (pattern, text)
    assert read > 150


def test_format_patterns_answer_as_their_search(corpus_dir: Path) -> None:
    assert len(PATTERNS) >= 10  # the formats' anchored header tests
    made = [text for p in PATTERNS for text in _made_around(p.pattern)]
    for pattern in PATTERNS:
        compiled = re.compile(pattern.pattern, pattern.flags)
        for text in _texts(corpus_dir) + made:
            expected = compiled.search(text) is not None
            assert pattern.found_in(text) is expected, (pattern.pattern, text[:200])
            assert pattern.found_in(text, 0) is expected, (pattern.pattern, text[:200])


def _made_around(pattern: str) -> list[str]:
    """Each alternative's words on a line of their own, at a line's start and
    end, inside a line, in several cases."""
    texts = []
    for alternative in pattern.removeprefix("^(?:").removesuffix(")").split("|"):
        word = alternative.strip("^$").replace("\\", "")
        for shown in (word, word.upper(), word.title()):
            texts += [
                shown,
                f"{shown}\n",
                f"a\n{shown}",
                f"a\n{shown}\nb",
                f"a {shown}",
                f"{shown} b",
                f"a\n{shown} b",
            ]
    return texts


def test_an_anchored_pattern_is_not_compiled_for_ascii_text() -> None:
    pattern = LazyPattern("^undeliverable message$", re.I | re.M)
    assert pattern.found_in("Re: x\nUndeliverable Message")
    assert not pattern.found_in("Undeliverable message: hello")
    assert "search" not in vars(pattern)
    assert pattern.found_in("undeliverable message\n\u00e9")  # non-ASCII: searched
    assert "search" in vars(pattern)
