"""Patterns of a few literal strings, answered without compiling, give the regex's answer.

`rules.model.searcher` answers a pattern made only of literal characters,
plain character sets, non-capturing groups of alternatives and ``?`` (with
``\\b`` at the ends of its alternatives) by `plain_search` over the strings
it stands for (`literal_expansion`) instead of compiling it. A wrong
expansion would stop a rule from firing or fire one, so it is compared with
the compiled pattern over every corpus, fixture and example text, over
texts built around each string it expands to, over hand-made shapes and
over generated patterns and texts.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_classify_plain_patterns import _around
from test_classify_shortcuts import EVIDENCE

from bounce_sink.classify.required_text import table_patterns
from bounce_sink.classify.rules.model import (
    MAX_EXPANSION,
    literal_expansion,
    plain_alternatives,
    plain_search,
    searcher,
)

PATTERNS = sorted(set(table_patterns()))
EXPANDED = [
    p for p in PATTERNS if plain_alternatives(p) is None and literal_expansion(p) is not None
]
TEXTS = sorted({ev.text for ev in EVIDENCE} | {h for ev in EVIDENCE for h in ev.hosts})


def _same(regex: str, *texts: str) -> None:
    """Each text: the expansion and `searcher` answer as the compiled regex
    (the pattern expanded once for all the texts: `literal_expansion` is not cached)."""
    expansion = literal_expansion(regex)
    assert expansion is not None, regex
    compiled, search = re.compile(regex), searcher(regex)
    for text in texts:
        expected = compiled.search(text) is not None
        assert plain_search(expansion, text) is expected, (regex, text)
        assert bool(search(text)) is expected, (regex, text)


def test_the_table_has_expanded_patterns() -> None:
    # Worth having only while the table's searched patterns hold such shapes.
    assert len(EXPANDED) >= 40


def test_expanded_patterns_answer_as_the_regex_on_every_text() -> None:
    found = 0
    for regex in EXPANDED:
        compiled = re.compile(regex)
        expansion = literal_expansion(regex)
        assert expansion is not None
        for text in TEXTS:
            expected = compiled.search(text) is not None
            assert plain_search(expansion, text) is expected, (regex, text)
            found += expected
    assert found > 100


def test_expanded_patterns_answer_as_the_regex_around_each_string() -> None:
    for regex in EXPANDED:
        compiled = re.compile(regex)
        expansion = literal_expansion(regex)
        assert expansion is not None
        for word, _lead, _trail in expansion:
            for text in _around(word):
                expected = compiled.search(text) is not None
                assert plain_search(expansion, text) is expected, (regex, text)


@pytest.mark.parametrize(
    ("regex", "strings"),
    [
        (r"\bover ?quota\b", {"over quota", "overquota"}),
        (r"a(?:b|c)?d", {"ad", "abd", "acd"}),
        (r"(?:a|b)(?:c|d)", {"ac", "ad", "bc", "bd"}),
        (r"x(?:a|)y", {"xay", "xy"}),
        (r"local[- ]part", {"local-part", "local part"}),
        (r"[]x]", {"]", "x"}),
        (r"a\.b\-c", {"a.b-c"}),
        (r"a|b(?:c|d)", {"a", "bc", "bd"}),
        (r"polic(?:y|ies)", {"policy", "policies"}),
        (r"a(?:b(?:c|d)?)?", {"a", "ab", "abc", "abd"}),
        (r"a\[b", {"a[b"}),
        (r"a\\", {"a\\"}),  # an escaped backslash
        # Ranges in a set, spelt out as re reads them.
        (r"[a-c]", {"a", "b", "c"}),
        (r"\bsc-00[1-4]\b", {"sc-001", "sc-002", "sc-003", "sc-004"}),
        (r"5\.7\.60[0-9]", {f"5.7.60{d}" for d in range(10)}),
        (r"x[a-]", {"xa", "x-"}),  # a "-" last stands for itself
        (r"x[-a]", {"x-", "xa"}),
        (r"[a-c-e]", {"a", "b", "c", "-", "e"}),  # and just after a range
        (r"[]-a]", {"]", "^", "_", "`", "a"}),  # "]" first opens a range too
        (r"[+-.]", {"+", ",", "-", "."}),
        (r"[+--]", None),  # a doubled "-": a set difference one day
        (r"[0-9][0-9]", None),  # 100 strings: more than MAX_EXPANSION
        (r"[c-a]", None),  # reversed: not a pattern at all
        (r"[!-~]", None),  # wider than a set is spelt out
        # Not expanded: anything else, and empty strings.
        (r"a.b", None),
        (r"a\sb", None),
        (r"a\S+", None),
        (r"a*", None),
        (r"a+", None),
        (r"a{2}", None),
        (r"a??", None),
        (r"?a", None),
        (r"(?:?a)", None),
        (r"[^a]", None),
        (r"[\]]", None),
        (r"(a|b)", None),
        (r"(?i)ab", None),
        (r"(?<!x)ab", None),
        (r"(?=x)ab", None),
        (r"^ab", None),
        (r"ab$", None),
        (r"a\bb", None),
        (r"\b(?:\ba)", None),
        (r"(?:a|\bb)", None),
        (r"(?:ab", None),
        (r"ab)", None),
        (r"a(?:b|c)?)", None),
        (r"(?:a)?", None),
        (r"a|(?:b)?", None),
        (r"a|", None),
        (r"\b", None),
        (r"\d", None),
        ("a\\", None),  # a lone backslash at the end
        ("(?:a|b|c|d)(?:e|f|g|h)(?:i|j)", None),  # 32 strings: more than MAX_EXPANSION
    ],
)
def test_what_is_expanded(regex: str, strings: set[str] | None) -> None:
    expansion = literal_expansion(regex)
    if strings is None:
        assert expansion is None
        return
    assert expansion is not None
    assert {w for w, _lead, _trail in expansion} == strings
    for word in strings:
        _same(regex, *_around(word))


def test_boundaries_belong_to_their_own_alternative() -> None:
    assert literal_expansion(r"\ba|b\b|\bc(?:d|e)\b") == (
        ("a", True, False),
        ("b", False, True),
        ("cd", True, True),
        ("ce", True, True),
    )
    assert MAX_EXPANSION >= 8


# A small grammar of the shapes expanded: literals, sets, groups, "?".
_ATOMS = st.sampled_from(["a", "b", "ab", " ", "-", r"\.", "é", "1", "[ab]", "[- ]", "[a_]"])


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.booleans()):
            inner = "|".join(draw(st.lists(_patterns(depth + 1), min_size=1, max_size=3)))
            part = f"(?:{inner})"
        else:
            part = draw(_ATOMS)
        if draw(st.booleans()):
            part += "?"
        parts.append(part)
    return "".join(parts)


@st.composite
def _rules(draw: st.DrawFn) -> str:
    branches = []
    for body in draw(st.lists(_patterns(), min_size=1, max_size=2)):
        lead = "\\b" if draw(st.booleans()) else ""
        trail = "\\b" if draw(st.booleans()) else ""
        branches.append(lead + body + trail)
    return "|".join(branches)


@settings(max_examples=500, deadline=None)
@given(_rules(), st.text(alphabet="ab -.é1_x", max_size=14))
def test_generated_patterns_on_generated_texts(regex: str, text: str) -> None:
    expansion = literal_expansion(regex)
    if expansion is None:
        return  # too many strings, or an empty one
    _same(regex, text, *(f"{text}{word}{text}" for word, _lead, _trail in expansion))


def _provider_value_patterns() -> list[str]:
    from bounce_sink.classify.providers import PROVIDERS

    return sorted(
        {x for p in PROVIDERS for r in p.rules for x in (r.status_regex, r.domain_regex) if x}
    )


def _values_around(value: str) -> list[str]:
    return [value, value + "\n", value + "0", "5" + value, value[:-1], value[1:], " " + value]


def test_provider_status_and_domain_tests_answer_as_their_patterns() -> None:
    """`whole_test` (a set lookup for a few literal strings) against ``match``
    of ``(?:regex)\\Z`` over every status and domain of the evidence and
    values around each string the patterns stand for."""
    from bounce_sink.classify.rules.model import whole_test, whole_values

    patterns = _provider_value_patterns()
    by_lookup = [p for p in patterns if isinstance(whole_test(p), type(frozenset().__contains__))]
    assert len(by_lookup) == len(patterns) >= 12  # the ~60-value ones too
    values = {ev.status for ev in EVIDENCE} | {ev.domain for ev in EVIDENCE}
    for regex in patterns:
        values.update(v for w in whole_values(regex) or () for v in _values_around(w))
    matched = 0
    for regex in patterns:
        compiled = re.compile(f"(?:{regex})\\Z")
        for value in sorted(values):
            expected = compiled.match(value) is not None
            assert bool(whole_test(regex)(value)) is expected, (regex, value)
            matched += expected
    assert matched > 15


@pytest.mark.parametrize(
    ("regex", "value", "expected"),
    [
        (r"5\.7\.509", "5.7.509", True),
        (r"5\.7\.509", "5.7.509\n", False),  # \Z is the very end
        (r"5\.7\.509", "5.7.5090", False),
        (r"5\.(?:5\.0|1\.1)", "5.1.1", True),
        (r"\ba\b", "a", True),  # boundaries: left to the compiled pattern
        (r"\ba\b", "a ", False),
        (r"5\.7\.60[0-9]", "5.7.601", True),
        (r"5\.7\.6[0-4][0-9]|5\.7\.708", "5.7.649", True),  # 51 values: a set all the same
        (r"5\.7\.6[0-4][0-9]|5\.7\.708", "5.7.650", False),
        (r"5\.7\.6[0-4][0-9]|5\.7\.708", "5.7.708\n", False),
        (r"[0-9][0-9][0-9]", "123", True),  # 1000 values: compiled
    ],
)
def test_whole_test_of_known_values(regex: str, value: str, expected: bool) -> None:
    from bounce_sink.classify.rules.model import whole_test

    assert bool(whole_test(regex)(value)) is expected


@pytest.mark.parametrize(
    ("regex", "count"),
    [
        (r"5\.7\.6[0-4][0-9]|5\.7\.50[1-3]|5\.7\.51[13]|5\.7\.708|5\.7\.750", 57),
        (r"5\.7\.7(?:[0-3][0-9]|4[0-9])", 50),
        (r"(?:a|b)[0-9]?", 22),
        (r"[0-9][0-9][0-9]", None),  # more than MAX_WHOLE_VALUES
        (r"\ba\b", None),  # boundaries: left to the compiled pattern
        (r"a+", None),
    ],
)
def test_whole_values_answer_as_the_full_match(regex: str, count: int | None) -> None:
    from bounce_sink.classify.rules.model import MAX_WHOLE_VALUES, read_whole_values

    values = read_whole_values(regex)
    if count is None:
        assert values is None
        return
    assert values is not None
    assert len(values) == count <= MAX_WHOLE_VALUES
    compiled = re.compile(f"(?:{regex})\\Z")
    for value in {v for w in values for v in _values_around(w)}:
        assert (value in values) is (compiled.match(value) is not None), (regex, value)
