"""The ordered, named rule table assembled: provider texts, generic texts, status codes.

``TEXT_RULES`` is built once at import from the per-reason modules, in the
order ``reasons.REASON_MODULES`` gives. ``all_rule_names`` lists every name
a result can carry, so tests can check they are unique.
"""

from __future__ import annotations

import functools
import re

from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.required_text import Gate
from bounce_sink.classify.rules.model import TextRule
from bounce_sink.classify.rules.reasons import REASON_MODULES
from bounce_sink.classify.rules.status_codes import STATUS_REASONS

TEXT_RULES: tuple[TextRule, ...] = tuple(
    TextRule(
        name=f"text.{mod.REASON}.{p.name}",
        reason=mod.REASON,
        regex=p.regex,
        lookup=p.lookup,
    )
    for mod in REASON_MODULES
    for p in mod.PATTERNS
)


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
        if not self.gate.allows_present(present):
            return None
        for rule, gate in zip(self.rules, self.rule_gates, strict=True):
            if gate.allows_present(present) and rule.pattern.search(text):
                return rule
        return None


REASON_PREFILTERS: tuple[ReasonPrefilter, ...] = tuple(
    ReasonPrefilter(tuple(r for r in TEXT_RULES if r.reason == mod.REASON))
    for mod in REASON_MODULES
)


@functools.cache
def _all_text_words() -> tuple[str, ...]:
    """Every word any text-rule gate asks about (reads all text patterns, once)."""
    words: set[str] = set()
    for prefilter in REASON_PREFILTERS:
        for gate in (prefilter.gate, *prefilter.rule_gates):
            for clause in gate.clauses or ():
                words |= clause
    return tuple(sorted(words))


def text_words_in(text: str) -> frozenset[str]:
    """The text-rule gate words `text` contains: one scan for all the gates."""
    return frozenset(filter(text.__contains__, _all_text_words()))


# One alternation over all providers' hosts and markers: most bounces come
# from hosts no provider module knows, and then one search settles it.
ANY_PROVIDER_HOST = re.compile("|".join(f"(?:{p.hosts})" for p in PROVIDERS))
ANY_PROVIDER_MARKER = re.compile("|".join(f"(?:{p.markers})" for p in PROVIDERS if p.markers))
PROVIDER_DOMAINS = frozenset(d for p in PROVIDERS for d in p.domains)
# The same word gates for the providers' host, marker and rule patterns.
ANY_PROVIDER_HOST_GATE = Gate([p.hosts for p in PROVIDERS])
ANY_PROVIDER_MARKER_GATE = Gate([p.markers for p in PROVIDERS if p.markers])
PROVIDER_HOST_GATES = {p.name: Gate([p.hosts]) for p in PROVIDERS}
PROVIDER_MARKER_GATES = {p.name: Gate([p.markers]) for p in PROVIDERS if p.markers}
PROVIDER_RULE_GATES = {r.name: Gate([r.regex]) for p in PROVIDERS for r in p.rules if r.regex}

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
