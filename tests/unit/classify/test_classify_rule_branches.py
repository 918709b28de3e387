"""A text rule is searched alternative by alternative, and that is the same test.

`rules.model.rule_branches` cuts a rule's pattern at its top-level ``|``;
the text-rule index searches each alternative behind its own gate, so only
the alternatives a text may match are compiled. A text must match one of
the alternatives exactly when it matches the whole pattern: checked for
every text rule over the corpus, fixture and example texts and over texts
generated from each pattern; the cut itself is checked on the shapes that
could mislead it (a ``|`` escaped, inside a group or a character set).
"""

from __future__ import annotations

import re

import pytest
import test_classify_shortcuts as shortcuts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounce_sink.classify.gate_words import BRANCH_CUTS
from bounce_sink.classify.rules import model
from bounce_sink.classify.rules.model import branch_cuts, rule_branches, top_level_branches
from bounce_sink.classify.table import TEXT_RULES, text_rule_index

TEXTS = sorted({ev.text for ev in shortcuts.EVIDENCE})


def _whole_and_parts(regex: str) -> tuple[re.Pattern[str], list[re.Pattern[str]]]:
    return re.compile(regex), [re.compile(b) for b in rule_branches(regex)]


def test_every_rule_is_cut_into_alternatives_that_rejoin_to_it() -> None:
    cut = 0
    for rule in TEXT_RULES:
        branches = rule_branches(rule.regex)
        assert "|".join(branches) == rule.regex, rule.name
        assert all(branches), rule.name
        cut += len(branches) > 1
    assert cut > 60


def test_the_generated_cuts_are_those_read_from_every_rule_pattern() -> None:
    """`gate_words.BRANCH_CUTS` (what a run reads instead of scanning every
    pattern) holds each text rule's pattern with the cuts read from it now:
    regenerate gate_words.py when this fails."""
    assert set(BRANCH_CUTS) == {r.regex for r in TEXT_RULES}
    for rule in TEXT_RULES:
        assert BRANCH_CUTS[rule.regex] == branch_cuts(rule.regex), rule.name


def test_the_alternatives_are_the_same_without_the_generated_cuts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cached = {r.regex: rule_branches(r.regex) for r in TEXT_RULES}
    monkeypatch.setattr(model, "BRANCH_CUTS", {})
    for rule in TEXT_RULES:
        assert rule_branches(rule.regex) == cached[rule.regex], rule.name
    assert rule_branches("(?i)a|b") == ("(?i)a|b",)
    assert rule_branches("a||b") == ("a||b",)
    assert rule_branches("a|b(?:c|d)|[|]") == ("a", "b(?:c|d)", "[|]")


def test_a_text_matches_an_alternative_exactly_when_it_matches_the_rule() -> None:
    matched = 0
    for rule in TEXT_RULES:
        whole, parts = _whole_and_parts(rule.regex)
        for text in TEXTS:
            found = bool(whole.search(text))
            assert found == any(p.search(text) for p in parts), (rule.name, text)
            matched += found
    assert matched > 300


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_matches_match_an_alternative(data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(TEXT_RULES))
    whole, parts = _whole_and_parts(rule.regex)
    text = data.draw(st.from_regex(whole))
    assert any(p.search(text) for p in parts), (rule.name, text)


@pytest.mark.parametrize(
    ("regex", "branches"),
    [
        (r"a|b", ["a", "b"]),
        (r"a\|b|c", [r"a\|b", "c"]),
        (r"(?:a|b)c|d", ["(?:a|b)c", "d"]),
        (r"[|]a|b", ["[|]a", "b"]),
        (r"[]|]a|b", ["[]|]a", "b"]),
        (r"[^]|)]a|b", ["[^]|)]a", "b"]),
        (r"[\]|(]a|b", [r"[\]|(]a", "b"]),
        (r"[(]a|b", ["[(]a", "b"]),
        (r"x(?<!a|b)y|z", ["x(?<!a|b)y", "z"]),
    ],
)
def test_the_cut_respects_escapes_groups_and_sets(regex: str, branches: list[str]) -> None:
    assert top_level_branches(regex) == branches


@pytest.mark.parametrize("regex", [r"(?i)a|b", r"(?i:a)|b", r"a|", r"|a", r"abc", r"a||b"])
def test_patterns_whose_alternatives_cannot_stand_alone_are_kept_whole(regex: str) -> None:
    assert rule_branches(regex) == (regex,)


def test_the_index_searches_only_alternatives_a_text_may_match() -> None:
    """A text naming one alternative's words has only that one compiled and searched."""
    index = text_rule_index()
    rule = next(
        i for i, r in enumerate(index._rules) if r.name == "text.syntax_error.command_syntax"
    )
    alternatives = [i for i, of in enumerate(index._rule_of) if of == rule]
    assert len(alternatives) > 3
    searched: list[int] = []
    for i in alternatives:
        index._patterns[i] = lambda text, i=i: searched.append(i)  # type: ignore[misc]
    try:
        index.first_match("500 5.5.2 syntax error", frozenset({"syntax error"}))
    finally:
        for i in alternatives:
            index._patterns[i] = None
    assert searched == [alternatives[0]]
