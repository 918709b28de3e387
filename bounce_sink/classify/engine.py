"""Classification: evidence -> the first rule that fires -> reason -> severity -> code.

Precedence, most specific evidence first (DESIGN.md, "Classify"):

1. what the message is: an ARF report is ``feedback``, an auto-reply
   ``vacation``, a success DSN ``delivered``;
2. a receiving provider's documented text or code, when the evidence points
   at that provider;
3. a generic text pattern, in the order of ``rules.reasons``;
4. the parser's format-specific reading (``reason_hint``);
5. the bare enhanced status code, then a few bare reply codes;
6. what the failed command says (refused at connect: blocked; at MAIL:
   the sender was rejected); a delay with nothing else is ``expired``.

A format module's ``reason_hint`` decides when no wording does; on the
corpus, where both spoke, the server's own words were the better evidence.

A generic "user unknown" counts only when the server refused RCPT TO or
said x.1.1; otherwise it is ``filtered`` and soft (see ``_lookup_failed``).
"""

from __future__ import annotations

from collections.abc import Iterable

from bounce_sink.classify.evidence import Evidence
from bounce_sink.classify.recognise import other_providers, providers_of_host
from bounce_sink.classify.rules.model import TextRule
from bounce_sink.classify.rules.status_codes import reason_of_status
from bounce_sink.classify.table import PROVIDER_RULE_TESTS, text_rule_index, text_words_in
from bounce_sink.classify.taxonomy import (
    ALL_REASONS,
    FAILURE_REASONS,
    HARD_REASONS,
    Classification,
    Severity,
    code_of,
    severity_of,
    side_of,
)
from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.parse.smtp_codes import BAD_DESTINATION_DETAILS

_SUCCESS_ACTIONS = frozenset({"delivered", "relayed", "expanded"})
_REPLY_REASONS = {
    "421": "blocked",
    "451": "system_error",
    "452": "system_full",
    "552": "mailbox_full",
    "554": "rejected",
}
_AFTER_DATA = frozenset({"DATA", "BDAT"})
_BEFORE_RCPT = frozenset({"CONNECT", "HELO", "EHLO", "LHLO", "MAIL", "STARTTLS", "AUTH"})
_NO_WORDS: frozenset[str] = frozenset()
# The statuses that say the destination address itself is bad (x.1.1,
# x.1.10): parse/smtp_codes.py holds the one definition.
_BAD_DESTINATION = BAD_DESTINATION_DETAILS


def _provider_rule(ev: Evidence, providers: Iterable[int]) -> tuple[str, str] | None:
    """The first rule of these providers (positions in PROVIDERS) that fires."""
    text = ev.text
    for i in providers:
        for rule, gate in PROVIDER_RULE_TESTS[i]:
            if gate is not None and not gate.allows(text):
                continue  # its pattern cannot match, so neither can the rule
            if rule.matches(text, ev.status, ev.domain):
                return rule.reason, rule.name
    return None


def _text_rule(ev: Evidence, present: frozenset[str]) -> TextRule | None:
    if not ev.text:
        return None
    return text_rule_index().first_match(ev.text, present)


def _status_rule(ev: Evidence) -> tuple[str, str] | None:
    """The bare enhanced status code's reason.

    A detail the registry does not hold (a provider's own, like Microsoft's
    5.7.509 or 5.4.310) still names its subject: it reads as that subject's
    "other or undefined" member (RFC 3463, section 3 lists an x.Y.0 for
    every subject), which is never a hard reason here, so an unknown detail
    can make nothing hard.
    """
    reason = reason_of_status(ev.status)
    if reason is None:
        klass, _, rest = ev.status.partition(".")
        subject, dot, detail = rest.partition(".")
        if not dot or detail == "0":
            return None
        reason = reason_of_status(f"{klass}.{subject}.0")
        if reason is None or reason in HARD_REASONS:
            return None
    return reason, f"status.{ev.status}"


def _lookup_failed(ev: Evidence) -> bool:
    """Whether a generic "user unknown" is backed by a recipient lookup.

    Only a refusal of RCPT TO, a bad-destination-address status
    (``_BAD_DESTINATION``), or a format module that knows its MTA reports
    lookups (``reason_hint``) shows the server looked the address up. The
    same words after DATA, or with no command and a vaguer status (x.1.0
    "other address status" included), are what content filters and
    auto-responders say too; those are ``filtered`` and soft, because a
    wrong hard bounce unsubscribes a real person.
    """
    return ev.command == "RCPT" or ev.status[1:] in _BAD_DESTINATION or ev.hint == "user_unknown"


def _lookup_wording_stands(ev: Evidence) -> bool:
    """Whether a wording that shows a lookup by itself is not contradicted by its status.

    "550 5.2.1 <a@b>... User Unknown" is a filter (an access map or a
    subscriber's own setting) answering in the words of a lookup: a
    mailbox-status (x.2.x) or policy (x.7.x) code names another cause.
    """
    return ev.status[2:3] not in ("2", "7")


def _hint_rule(ev: Evidence, report: Report) -> str:
    """Named for the format module that read it: ``hint.qmail.user_unknown``."""
    fmt = (ev.hint_source or report.format).strip().lower().replace(" ", "_")
    return f"hint.{fmt}.{ev.hint}" if fmt else f"hint.{ev.hint}"


def decide_reason(ev: Evidence, report: Report) -> tuple[str, str]:
    """The reason and the name of the rule that decided it."""
    if report.kind == "arf":
        return "feedback", "kind.arf"
    if report.kind == "autoreply":
        return "vacation", "kind.autoreply"
    if ev.action in _SUCCESS_ACTIONS:
        return "delivered", "action.delivered"
    if ev.status.startswith("2.") and ev.action not in ("failed", "delayed"):
        # A 2.x.x beside "failed" is a transcript's earlier "250 2.1.0 Ok",
        # not the recipient's fate.
        return "delivered", "status.2"

    # The host that answered first, then providers named some other way
    # (`recognise.providers_to_try`). The first host's providers need no word
    # scan; when one of their rules fires, the text is never scanned. Else one
    # scan answers every word gate of the signatures and of the text rules.
    first = providers_of_host(ev.hosts[0]) if ev.hosts else ()
    found = _provider_rule(ev, first) if first else None
    present = _NO_WORDS
    if found is None:
        if ev.text:
            present = text_words_in(ev.text)
        others = other_providers(ev.hosts, ev.text, ev.domain, present, first)
        if others:
            found = _provider_rule(ev, others)
    if found is not None:
        if (
            found[0] == "user_unknown"
            and ev.command in _AFTER_DATA
            and ev.status[1:] not in _BAD_DESTINATION
        ):
            return "filtered", "text.user_unknown.after_data"
        return found
    text_rule = _text_rule(ev, present)
    if text_rule is not None and text_rule.reason in HARD_REASONS and ev.command in _BEFORE_RCPT:
        # Refused before any recipient was named: the words cannot be about
        # the recipient's mailbox or domain (e.g. a HELO name "does not exist").
        if ev.command == "MAIL":
            return "rejected", "command.mail"
        return "blocked", "command.connect"
    if (
        text_rule is not None
        and text_rule.reason in HARD_REASONS
        and ev.hint in FAILURE_REASONS
        and ev.hint not in HARD_REASONS
    ):
        # The format module read its MTA's own notice as a soft cause; with
        # the evidence split, do not unsubscribe anyone: the soft reading wins.
        return ev.hint, _hint_rule(ev, report)
    if text_rule is not None:
        if text_rule.reason == "user_unknown" and not (
            (text_rule.lookup and _lookup_wording_stands(ev)) or _lookup_failed(ev)
        ):
            if ev.command in _AFTER_DATA:
                return "filtered", "text.user_unknown.after_data"
            return "filtered", "text.user_unknown.not_at_rcpt"
        return text_rule.reason, text_rule.name
    if ev.hint in ALL_REASONS:
        return ev.hint, _hint_rule(ev, report)
    found = _status_rule(ev)
    if found is not None:
        return found
    if ev.command in ("HELO", "EHLO", "CONNECT"):
        return "blocked", "command.connect"
    if ev.command == "MAIL":
        return "rejected", "command.mail"
    if ev.action == "delayed":
        return "expired", "action.delayed"
    if ev.reply_code in _REPLY_REASONS:
        return _REPLY_REASONS[ev.reply_code], f"reply.{ev.reply_code}"
    if ev.text:
        # The report explains itself, but in words no rule knows: too little
        # to judge, which the taxonomy (Sisimai's) calls on_hold; undefined
        # is kept for a failure that says nothing at all.
        return "on_hold", "fallback.on_hold"
    return "undefined", "fallback.undefined"


# The verdicts given so far, by (reason, severity, rule): a Classification is
# immutable and follows from those three, and building one per recipient
# (~1 us while it was a frozen dataclass) cost more than the lookup. Rule names are few (the table's, plus hint.<format>.<reason>),
# so the bound is only a guard.
_VERDICTS: dict[tuple[str, str, str], Classification] = {}
_MAX_VERDICTS = 4096


def verdict(reason: str, severity: Severity, rule: str) -> Classification:
    """The Classification of a reason, severity and rule (side and code follow)."""
    key = (reason, severity, rule)
    found = _VERDICTS.get(key)
    if found is None:
        found = Classification(reason, side_of(reason), severity, code_of(reason, severity), rule)
        if len(_VERDICTS) < _MAX_VERDICTS:
            _VERDICTS[key] = found
    return found


def _judged(ev: Evidence, report: Report) -> Classification:
    """The verdict on one recipient's evidence: `classify` asks it per
    recipient, `classify_all` once per distinct evidence of a report."""
    reason, rule = decide_reason(ev, report)
    return verdict(
        reason, severity_of(reason, ev.action, ev.status, ev.reply_code, ev.heuristic), rule
    )


def classify(recipient: RecipientStatus, report: Report) -> Classification:
    """Classify one recipient of a parsed report."""
    return _judged(Evidence.of(recipient, report), report)


def classify_all(report: Report) -> list[Classification]:
    """`classify` of each recipient of `report`, in order.

    A report often lists many recipients with the same evidence (one
    diagnostic for every address at one domain): the verdict follows from
    the evidence and the report alone, so it is decided once per distinct
    evidence within this report (nothing is kept across reports).
    """
    recipients = report.recipients
    if len(recipients) == 1:
        return [classify(recipients[0], report)]
    decided: dict[Evidence, Classification] = {}
    found: list[Classification] = []
    for recipient in recipients:
        ev = Evidence.of(recipient, report)
        given = decided.get(ev)
        if given is None:
            given = decided[ev] = _judged(ev, report)
        found.append(given)
    return found
