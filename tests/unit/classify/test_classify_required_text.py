"""The word gate in front of each reason's patterns never hides a match.

`required_words` reads plain strings out of a pattern; a text without any
of them is skipped without a regex search. If the reading were wrong, a
rule would silently stop firing, so: the reading on known shapes, and, for
every text rule, every corpus diagnostic it matches gets through its
reason's gate (test_classify_rule_examples does the same for every rule's
own example).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounce_sink.classify.evidence import normalise_text
from bounce_sink.classify.gate_words import CLAUSES, EXTRA_CLAUSES
from bounce_sink.classify.required_text import (
    Gate,
    any_required,
    extra_clauses,
    may_match,
    read_clauses,
    read_extra_clauses,
    required_clauses,
    required_words,
    table_patterns,
)
from bounce_sink.classify.table import REASON_PREFILTERS, TEXT_RULES, text_words_in
from bounce_sink.parse import parse_message

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"


@pytest.mark.parametrize(
    ("regex", "words"),
    [
        (r"\bno such user\b", {"no such user"}),
        (r"\bmail ?box (?:is )?full\b", {"mail"}),
        (r"(?:user|mailbox) unknown", {" unknown"}),
        (r"\b(?:mailbox|user) (?:not found|unknown)", {"not found", "unknown"}),
        (r"(?:over)+quota", {"quota"}),
        (r"x(?:abc|)yz", {"yz"}),
        (r"(?i)user unknown", None),
        (r"(?i:user) unknown", {" unknown"}),
        (r"[a-z]+\d*", None),
        (r"(?:a|[bc])", None),
        (r"(", None),
    ],
)
def test_required_words_of_known_shapes(regex: str, words: set[str] | None) -> None:
    found = required_words(regex)
    assert (None if found is None else set(found)) == words


@pytest.mark.parametrize(
    ("regex", "clauses"),
    [
        (r"\bno such user\b", [{"no such user"}]),
        (r"\bmail ?box (?:is )?full\b", [{"mail"}, {"box "}, {"full"}]),
        (
            r"\b(?:mailbox|user) (?:not found|unknown)",
            [{"not found", "unknown"}, {"mailbox", "user"}, {" "}],
        ),
        (r"[a-z]+\d*", None),
    ],
)
def test_required_clauses_of_known_shapes(regex: str, clauses: list[set[str]] | None) -> None:
    found = required_clauses(regex)
    if clauses is None:
        assert found is None
    else:
        assert found is not None
        assert sorted(map(sorted, found)) == sorted(map(sorted, clauses))
        assert found[0] == frozenset(clauses[0])  # strongest first


def test_one_pattern_gate_needs_every_clause() -> None:
    gate = Gate([r"\bmailbox (?:is )?full\b"])
    assert gate.allows("550 mailbox is full")
    assert not gate.allows("550 mailbox unavailable")  # "full" missing
    assert not gate.allows("550 disk full")  # "mailbox " missing


def test_gate_is_open_for_every_match() -> None:
    texts = [
        normalise_text(r.diagnostic)
        for path in sorted(CORPUS.glob("*.eml"))
        for r in parse_message(path.read_bytes()).recipients
    ]
    assert len(texts) > 200
    matched = 0
    for rule in TEXT_RULES:
        words = required_words(rule.regex)
        gate = Gate([rule.regex])
        for text in texts:
            if rule.pattern.search(text):
                matched += 1
                assert may_match(words, text), (rule.name, text)
                assert gate.allows(text), (rule.name, text)
    assert matched > 100


def test_each_prefilter_holds_the_rules_of_its_reason_in_table_order() -> None:
    """The prefilters are cut per reason module: the same as filtering the
    table by reason, as long as no two modules name the same reason."""
    reasons = [prefilter.rules[0].reason for prefilter in REASON_PREFILTERS]
    assert len(set(reasons)) == len(reasons) == len(REASON_PREFILTERS)
    for reason, prefilter in zip(reasons, REASON_PREFILTERS, strict=True):
        assert prefilter.rules == tuple(r for r in TEXT_RULES if r.reason == reason)
    assert tuple(r for p in REASON_PREFILTERS for r in p.rules) == TEXT_RULES


def test_every_reason_gate_covers_its_rules() -> None:
    for prefilter in REASON_PREFILTERS:
        words = any_required([r.regex for r in prefilter.rules])
        assert words == prefilter.gate.words
        if words is not None:
            for rule in prefilter.rules:
                own = required_words(rule.regex)
                assert own is not None and own <= words


def test_gated_search_finds_the_same_first_rule() -> None:
    texts = [
        normalise_text(r.diagnostic)
        for path in sorted(CORPUS.glob("*.eml"))
        for r in parse_message(path.read_bytes()).recipients
    ]
    found = 0
    for text in texts:
        plain = next(
            (r for p in REASON_PREFILTERS for r in p.rules if r.pattern.search(text)), None
        )
        gated = next((m for p in REASON_PREFILTERS if (m := p.first_match(text))), None)
        assert gated == plain, text
        found += plain is not None
    assert found > 100


def test_one_scan_of_the_text_answers_every_gate_alike() -> None:
    texts = [
        normalise_text(r.diagnostic)
        for path in sorted(CORPUS.glob("*.eml"))
        for r in parse_message(path.read_bytes()).recipients
    ]
    for text in texts:
        present = text_words_in(text)
        for prefilter in REASON_PREFILTERS:
            for gate in (prefilter.gate, *prefilter.rule_gates):
                assert gate.allows_present(present, text) == gate.allows(text), text


def test_cached_gate_words_are_what_reading_the_pattern_gives() -> None:
    """gate_words.py may lack new patterns (they are read at run time) but
    must never hold a wrong entry."""
    assert len(CLAUSES) > 200
    for regex, cached in CLAUSES.items():
        read = read_clauses(regex)
        assert (None if read is None else tuple(tuple(sorted(c)) for c in read)) == cached, regex
        assert required_clauses(regex) == read


# Every table pattern, and each alternative a text rule is searched by.
_ALL_PATTERNS = sorted(set(table_patterns()))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_gate_opens_for_generated_matches(data: st.DataObject) -> None:
    """Strings hypothesis builds to match a table pattern always get through its gate."""
    regex = data.draw(st.sampled_from(_ALL_PATTERNS))
    text = data.draw(st.from_regex(regex))
    assert re.search(regex, text)
    assert Gate([regex]).allows(text), (regex, text)
    assert may_match(required_words(regex), text)
    for words in extra_clauses(regex):
        assert any(w in text for w in words), (regex, text, words)


@pytest.mark.parametrize(
    ("regex", "extra"),
    [
        # Pooled per alternation: each branch's strongest set, then its next one.
        (r"\bspf\b.*\bfail(?:ed)?\b|\b(?:bad|invalid) spf\b", [{"spf", "bad", "invalid"}]),
        (r"\bno such user\b", []),
        (r"x(?:abc|)yz", []),  # an empty branch needs nothing
        (r"(?i)user unknown", []),
        (r"\b(?:a b|c d) (?:user|mailbox)\b", []),  # sets of one-character words are dropped
    ],
)
def test_extra_clauses_of_known_shapes(regex: str, extra: list[set[str]]) -> None:
    assert [set(c) for c in read_extra_clauses(regex)] == extra


def test_cached_extra_clauses_are_what_reading_the_pattern_gives() -> None:
    """Every table pattern with extra clauses is in gate_words.py, with those clauses."""
    assert len(EXTRA_CLAUSES) > 50
    for regex in _ALL_PATTERNS:
        read = read_extra_clauses(regex)
        assert extra_clauses(regex) == read, regex
    assert set(EXTRA_CLAUSES) <= set(_ALL_PATTERNS)


def test_every_match_holds_the_extra_clauses() -> None:
    """Every corpus diagnostic a text rule matches holds a string of each extra set."""
    texts = [
        normalise_text(r.diagnostic)
        for path in sorted(CORPUS.glob("*.eml"))
        for r in parse_message(path.read_bytes()).recipients
    ]
    matched = 0
    for rule in TEXT_RULES:
        extra = extra_clauses(rule.regex)
        for text in texts:
            if rule.pattern.search(text):
                matched += 1
                for words in extra:
                    assert any(w in text for w in words), (rule.name, text, words)
    assert matched > 100
    assert sum(1 for r in TEXT_RULES if extra_clauses(r.regex)) > 20
