"""The ordered, named rule table assembled: provider texts, generic texts, status codes.

``TEXT_RULES`` is built once at import from the per-reason modules, in the
order ``reasons.REASON_MODULES`` gives. ``all_rule_names`` lists every name
a result can carry, so tests can check they are unique.
"""

from __future__ import annotations

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
    """One reason's rules behind two cheap gates.

    First the words one of which any of its patterns needs (a substring
    test), then one alternation of all its patterns, compiled on first use:
    when either finds nothing, none of that reason's patterns can match
    (most texts skip most reasons).
    """

    __slots__ = ("_compiled", "_source", "gate", "rules")

    def __init__(self, regexes: list[str], rules: tuple[TextRule, ...]) -> None:
        self.gate = Gate(regexes)
        self._source = "|".join(f"(?:{r})" for r in regexes)
        self._compiled: re.Pattern[str] | None = None
        self.rules = rules

    def may_match(self, text: str) -> bool:
        if not self.gate.allows(text):
            return False
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled.search(text) is not None


REASON_PREFILTERS: tuple[ReasonPrefilter, ...] = tuple(
    ReasonPrefilter(
        [p.regex for p in mod.PATTERNS],
        tuple(r for r in TEXT_RULES if r.reason == mod.REASON),
    )
    for mod in REASON_MODULES
)
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
