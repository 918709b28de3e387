"""Plain rule patterns answered without compiling give the regex's own answer.

`rules.model.searcher` answers a pattern that is only literal words (escaped
punctuation allowed, ``\\b`` at a word's ends) by `str.find` and a boundary
test instead of compiling it, which was ~30 compiles of a cold run. A wrong
answer would stop a rule from firing (or fire one), so the plain test is
compared with the compiled pattern's search over every corpus, fixture and
example diagnostic, over texts built around each plain word with every kind
of neighbour, and over hand-made patterns of each shape.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_classify_shortcuts import EVIDENCE

from bounce_sink.classify.required_text import table_patterns
from bounce_sink.classify.rules.model import (
    _word_char,
    plain_alternatives,
    plain_search,
    searcher,
)

PATTERNS = sorted(set(table_patterns()))
PLAIN = [p for p in PATTERNS if plain_alternatives(p) is not None]

# Neighbours of a word: nothing, spaces, word characters of every kind
# (letters, '_', digits, a non-ASCII letter, a superscript digit, an
# Arabic-Indic digit, a Roman numeral, a titlecase letter), punctuation.
_NEIGHBOURS = ["", " ", "a", "Z", "_", "1", "é", "²", "٣", "ⅷ", "ǅ", "-", ".", "@", "\n", "'"]


def _around(word: str) -> list[str]:
    texts = []
    for left in _NEIGHBOURS:
        for right in _NEIGHBOURS:
            texts.append(left + word + right)
            # A first occurrence that fails its boundary, a second that may pass.
            texts.append(f"x{word}_ {left}{word}{right}")
    texts += [word[:-1], word[1:], word.upper(), word + word]
    return texts


def _same(regex: str, *texts: str) -> None:
    """Each text: the plain test and `searcher` answer as the compiled regex.

    The pattern is read once for all the texts: `plain_alternatives` is not
    cached, and reading it again for each of the ~500 texts around a word
    took ~60% of test_plain_patterns_answer_as_the_regex_around_each_word.
    """
    alternatives = plain_alternatives(regex)
    assert alternatives is not None
    compiled, search = re.compile(regex), searcher(regex)
    for text in texts:
        expected = compiled.search(text) is not None
        assert plain_search(alternatives, text) is expected, (regex, text)
        assert bool(search(text)) is expected, (regex, text)


def test_the_table_has_plain_patterns() -> None:
    # The shortcut is worth having only while the table holds such patterns.
    assert len(PLAIN) >= 25
    assert any(a[1] or a[2] for p in PLAIN for a in plain_alternatives(p) or ())


def test_plain_patterns_answer_as_the_regex_on_every_diagnostic() -> None:
    texts = sorted({ev.text for ev in EVIDENCE} | {h for ev in EVIDENCE for h in ev.hosts})
    found = 0
    for regex in PLAIN:
        compiled = re.compile(regex)
        alternatives = plain_alternatives(regex)
        assert alternatives is not None
        for text in texts:
            expected = compiled.search(text) is not None
            assert plain_search(alternatives, text) is expected, (regex, text)
            found += expected
    assert found > 50


def test_plain_patterns_answer_as_the_regex_around_each_word() -> None:
    for regex in PLAIN:
        for word, _lead, _trail in plain_alternatives(regex) or ():
            _same(regex, *_around(word))


@pytest.mark.parametrize(
    ("regex", "plain"),
    [
        ("abc", True),
        ("a b|c-d", True),
        (r"\babc\b", True),
        (r"\b@abc|x\b|\b-", True),
        (r"a\.b|\bc\-d\b", True),
        (r"a\/b", True),
        (r"a\ b\#\~", True),
        ("a.b", False),
        (r"\b", False),
        ("a|", False),
        ("|a", False),
        (r"a\d", False),
        (r"a\sb", False),
        (r"a\bb", False),
        (r"\b\ba", False),
        (r"a\\b", True),  # an escaped backslash, then "b"
        ("a\\", False),
        ("(?i)abc", False),
        ("ab?", False),
        ("a[bc]", False),
        ("^abc", False),
        ("abc$", False),
        (r"abc\Z", False),
        (r"\Aabc", False),
        ("a{2}", False),
        ("(?:a|b)", False),
        (r"\x41", False),
        (r"\1", False),
    ],
)
def test_what_counts_as_plain(regex: str, plain: bool) -> None:
    assert (plain_alternatives(regex) is not None) is plain
    if plain:
        for word, _lead, _trail in plain_alternatives(regex) or ():
            _same(regex, *_around(word))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(), st.text(alphabet="ab_1é²- .", min_size=1, max_size=3), st.booleans()
        ),
        min_size=1,
        max_size=3,
    ),
    st.text(alphabet="ab_1é²- .x", max_size=12),
)
def test_generated_plain_patterns_on_generated_texts(
    words: list[tuple[bool, str, bool]], text: str
) -> None:
    regex = "|".join(
        ("\\b" if lead else "") + re.escape(word) + ("\\b" if trail else "")
        for lead, word, trail in words
    )
    assert plain_alternatives(regex) is not None, regex
    _same(regex, text, *(f"{text}{word}{text}" for _l, word, _t in words))


def test_word_characters_are_the_regex_engines() -> None:
    """`\\b` rests on this for every character, not only the ones tried above."""
    chars = "".join(map(chr, range(0x110000)))
    assert "".join(re.findall(r"\w", chars)) == "".join(c for c in chars if _word_char(c))


# Host names around each provider's names: the name itself, under a
# subdomain, glued to a longer label, with a final newline (which ``$``
# passes), in upper case, cut short.
def _hosts_around(suffix: str) -> list[str]:
    hosts = []
    for lead in ("", "mx.", "x", "a-", ".", "\n", "mx.example.com."):
        for tail in ("", "\n", "\n\n", ".", "x", " "):
            hosts.append(lead + suffix + tail)
    return [*hosts, suffix.upper(), suffix[1:], suffix[:-1], "." + suffix[1:]]


def test_host_tests_answer_as_the_host_patterns() -> None:
    from bounce_sink.classify.providers import PROVIDERS
    from bounce_sink.classify.rules.model import host_suffixes

    shaped = [p for p in PROVIDERS if host_suffixes(p.hosts) is not None]
    assert len(shaped) >= 20
    hosts = {h for ev in EVIDENCE for h in ev.hosts}
    for p in PROVIDERS:
        hosts.update(h for s in host_suffixes(p.hosts) or () for h in _hosts_around(s))
    matched = 0
    for p in PROVIDERS:
        for host in sorted(hosts):
            expected = p.host_re.search(host) is not None
            assert bool(p.host_test(host)) is expected, (p.name, host)
            matched += expected
    assert matched > 200


@pytest.mark.parametrize(
    ("regex", "suffixes"),
    [
        (r"(?:^|\.)a\.com$", ("a.com",)),
        (r"(?:^|\.)(?:a\.com|b-c\.net)$", ("a.com", "b-c.net")),
        (r"(?:^|\.)a\.com$|(?:^|\.)b\.org$", ("a.com", "b.org")),
        (r"(?:^|\.)a\.(?:com|net)$", ("a.com", "a.net")),
        (r"(?:^|\.)(?:a|b)\.com$", ("a.com", "b.com")),
        (r"(?:^|\.)(?:a(?:-b)?\.com|c\.(?:de|at))$", ("a-b.com", "a.com", "c.at", "c.de")),
        (r"(?:^|\.)a\.com?$", ("a.co", "a.com")),
        (r"(?:^|\.)\ba\.com\b$", None),
        (r"(?:^|\.)a\.com\$", None),
        (r"(?:^|\.)a\.com", None),
        (r"^a\.com$", None),
        (r"(?:^|\.)\ba\.com$", None),
        (r"(?:^|\.)a\.com$|b\.com", None),
        (r"(?:^|\.)[a-z]+\.com$", None),
        (r"(?:^|\.)(?:a\.com)|(?:b\.com)$", None),
    ],
)
def test_what_counts_as_a_host_shape(regex: str, suffixes: tuple[str, ...] | None) -> None:
    from bounce_sink.classify.rules.model import host_search, host_suffixes

    assert host_suffixes(regex) == suffixes
    if suffixes is not None:
        for suffix in suffixes:
            for host in _hosts_around(suffix):
                assert host_search(suffixes, host) is (re.search(regex, host) is not None), host
