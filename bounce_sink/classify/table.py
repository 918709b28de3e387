"""The ordered, named rule table assembled: provider texts, generic texts, status codes.

``TEXT_RULES`` is built once at import from the per-reason modules, in the
order ``reasons.REASON_MODULES`` gives. ``all_rule_names`` lists every name
a result can carry, so tests can check they are unique.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from bounce_sink.classify.gate_words import SCAN_KEYS
from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.required_text import Gate, extra_clauses
from bounce_sink.classify.rules.model import ProviderRule, TextRule, rule_branches, searcher
from bounce_sink.classify.rules.reasons import REASON_MODULES
from bounce_sink.classify.rules.status_codes import STATUS_REASONS
from bounce_sink.classify.word_scan import WordScan

# Each reason module's rules, in its order (one module per reason): the
# table and the prefilters below are cut from these, not by filtering the
# whole table once per reason (~3,800 steps at every start).
_RULES_BY_REASON: tuple[tuple[TextRule, ...], ...] = tuple(
    tuple(
        TextRule(f"text.{mod.REASON}.{p.name}", mod.REASON, p.regex, p.lookup) for p in mod.PATTERNS
    )
    for mod in REASON_MODULES
)
TEXT_RULES: tuple[TextRule, ...] = tuple(r for rules in _RULES_BY_REASON for r in rules)


class ReasonPrefilter:
    """One reason's rules, each behind a cheap gate.

    A rule's gate is the words one of which its pattern needs (a substring
    test); the reason's gate pools its rules' words. Most texts fail most
    reasons' gates, and a rule's regex is compiled only once a text gets
    through its gate.
    """

    __slots__ = ("gate", "rule_gates", "rules")

    def __init__(self, rules: tuple[TextRule, ...]) -> None:
        self.rules = rules
        self.rule_gates = tuple(Gate([r.regex]) for r in rules)
        self.gate = Gate.any_of(self.rule_gates)

    def first_match(self, text: str, present: frozenset[str] | None = None) -> TextRule | None:
        """The first of this reason's rules whose pattern is found in `text`.

        `present`: the gate words `text` contains (`text_words_in`), when the
        caller asks several reasons about the same text.
        """
        if present is None:
            present = text_words_in(text)
        if not self.gate.allows_present(present, text):
            return None
        for rule, gate in zip(self.rules, self.rule_gates, strict=True):
            if gate.allows_present(present, text) and rule.pattern.search(text):
                return rule
        return None


REASON_PREFILTERS: tuple[ReasonPrefilter, ...] = tuple(
    ReasonPrefilter(rules) for rules in _RULES_BY_REASON
)


# The same word gates for the providers' host, marker and rule patterns.
ANY_PROVIDER_HOST_GATE = Gate([p.hosts for p in PROVIDERS])
ANY_PROVIDER_MARKER_GATE = Gate([p.markers for p in PROVIDERS if p.markers])
PROVIDER_HOST_GATES = {p.name: Gate([p.hosts]) for p in PROVIDERS}
PROVIDER_MARKER_GATES = {p.name: Gate([p.markers]) for p in PROVIDERS if p.markers}
# Each provider's rules (by its position in PROVIDERS) with the gate of its
# pattern, None for a rule without one: what the engine walks per provider.
PROVIDER_RULE_TESTS: tuple[tuple[tuple[ProviderRule, Gate | None], ...], ...] = tuple(
    tuple((r, Gate([r.regex]) if r.regex else None) for r in p.rules) for p in PROVIDERS
)


def scanned_gates() -> tuple[Gate, ...]:
    """The gates asked about a diagnostic through `text_words_in` (`allows_present`)."""
    gates: list[Gate] = [ANY_PROVIDER_MARKER_GATE, *PROVIDER_MARKER_GATES.values()]
    for prefilter in REASON_PREFILTERS:
        gates += (prefilter.gate, *prefilter.rule_gates)
    gates += text_rule_index().gates
    return tuple(gates)


@functools.cache
def _word_scan() -> WordScan:
    """Every word those gates ask about (reads their patterns, once)."""
    words: set[str] = set()
    for gate in scanned_gates():
        for clause in gate.scanned_clauses or ():
            words |= clause
    return WordScan(words, SCAN_KEYS)


def text_words_in(text: str) -> frozenset[str]:
    """The gate words `text` contains: one scan for all the `scanned_gates`."""
    return _word_scan().present(text)


class TextRuleIndex:
    """Every text rule in table order, reached through the words of its gates.

    Asking each reason's gate, then its rules' gates, about a text cost ~20
    set tests a text even when no rule could match. Here each alternative
    of each rule (`rules.model.rule_branches`: a rule matches when one of
    them does) has its own gate, and each gate word lists the alternatives
    whose strongest set holds it, so the words a text contains name the only
    alternatives that can match. Those are tried in table order (a rule's
    alternatives in their own order), each behind its whole gate, so the
    rule of the first that matches is the first rule of the whole table that
    matches (an alternative not named cannot match its own gate). An
    alternative that gets through its first set is searched only when the
    text also holds a string of each of its other sets and its
    `extra_clauses` (substring tests: a search of a long alternation that
    fails costs ~1-2 us, the tests ~0.2), kept per alternative in `_checks`.
    Only the alternatives searched are compiled, and a plain one never is.
    """

    __slots__ = (
        "_always",
        "_branches",
        "_by_word",
        "_checks",
        "_patterns",
        "_rule_of",
        "_rules",
        "gates",
    )

    def __init__(self, prefilters: tuple[ReasonPrefilter, ...]) -> None:
        self._rules = tuple(r for p in prefilters for r in p.rules)
        rule_gates = tuple(g for p in prefilters for g in p.rule_gates)
        branches: list[str] = []
        rule_of: list[int] = []
        # The gate of each alternative, in the index's order: a rule that is
        # one alternative keeps its own gate (its pattern is read once).
        gates: list[Gate] = []
        for i, rule in enumerate(self._rules):
            alternatives = rule_branches(rule.regex)
            for branch in alternatives:
                branches.append(branch)
                rule_of.append(i)
                gates.append(rule_gates[i] if len(alternatives) == 1 else Gate([branch]))
        self._branches = tuple(branches)
        self._rule_of = tuple(rule_of)
        self.gates = tuple(gates)
        by_word: dict[str, list[int]] = {}
        always: list[int] = []
        checks: list[tuple[frozenset[str], ...]] = []
        for i, gate in enumerate(self.gates):
            extra = extra_clauses(self._branches[i])
            clauses = gate.clauses
            if clauses is None:
                always.append(i)  # a pattern without known words: always tried
                checks.append(extra)
                continue
            for word in clauses[0]:
                by_word.setdefault(word, []).append(i)
            # What is left to ask once a word of the first set named it: its
            # other sets and its extra ones, tested on the text.
            checks.append((*gate.direct_clauses, *extra))
        self._always = tuple(always)
        self._by_word = {word: tuple(found) for word, found in by_word.items()}
        self._checks = tuple(checks)
        # Each alternative's test once it has been asked (kept here rather
        # than asked of `searcher`'s cache per search): a plain pattern's is
        # answered without compiling it.
        self._patterns: list[Callable[[str], object] | None] = [None] * len(self._branches)

    def first_match(self, text: str, present: frozenset[str]) -> TextRule | None:
        """The first text rule whose pattern is found in `text`.

        `present`: `text_words_in(text)`.
        """
        candidates = set(self._always)
        by_word = self._by_word
        for word in present:
            found = by_word.get(word)
            if found is not None:
                candidates.update(found)
        checks = self._checks
        patterns = self._patterns
        for i in sorted(candidates):
            for words in checks[i]:
                if not any(map(text.__contains__, words)):
                    break  # lacks a string every match holds
            else:
                search = patterns[i]
                if search is None:
                    search = patterns[i] = searcher(self._branches[i])
                if search(text):
                    return self._rules[self._rule_of[i]]
        return None


@functools.cache
def text_rule_index() -> TextRuleIndex:
    """The index of `TEXT_RULES`, built on first use (it reads every rule's gate)."""
    return TextRuleIndex(REASON_PREFILTERS)


# Rules that are not table rows but still name a result.
STRUCTURAL_RULES: dict[str, str] = {
    "kind.arf": "feedback",
    "kind.autoreply": "vacation",
    "action.delivered": "delivered",
    "status.2": "delivered",
    "text.user_unknown.after_data": "filtered",
    "text.user_unknown.not_at_rcpt": "filtered",
    "command.connect": "blocked",
    "command.mail": "rejected",
    "action.delayed": "expired",
    "reply.421": "blocked",
    "reply.451": "system_error",
    "reply.452": "system_full",
    "reply.552": "mailbox_full",
    "reply.554": "rejected",
    "fallback.on_hold": "on_hold",
    "fallback.undefined": "undefined",
}


def all_rule_names() -> list[str]:
    """Every rule name a classification can carry (hint.* excepted)."""
    names = [r.name for p in PROVIDERS for r in p.rules]
    names += [r.name for r in TEXT_RULES]
    names += [f"status.{klass}.{code}" for klass in ("4", "5") for code in STATUS_REASONS]
    names += list(STRUCTURAL_RULES)
    return names


def all_rule_reasons() -> list[str]:
    """Every reason the table can produce."""
    reasons = [r.reason for p in PROVIDERS for r in p.rules]
    reasons += [r.reason for r in TEXT_RULES]
    reasons += list(STATUS_REASONS.values())
    reasons += list(STRUCTURAL_RULES.values())
    return reasons
