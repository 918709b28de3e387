"""The reason vocabulary of DESIGN.md and what follows from a reason.

Severity and code are derived here in one small table, as Sisimai does, so a
rule only ever has to name a reason.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["hard", "soft", "none"]
Side = Literal["recipient", "sender", "unknown", "none"]

RECIPIENT_SIDE = frozenset(
    {
        "user_unknown",
        "host_unknown",
        "has_moved",
        "not_accept",
        "mailbox_full",
        "suspend",
        "exceed_limit",
        "suppressed",
    }
)
SENDER_SIDE = frozenset(
    {
        "blocked",
        "bad_reputation",
        "spam_detected",
        "virus_detected",
        "policy_violation",
        "content_error",
        "mesg_too_big",
        "auth_failure",
        "require_ptr",
        "speeding",
        "too_many_conn",
        "security_error",
        "no_relaying",
        "not_compliant_rfc",
        "syntax_error",
        "failed_starttls",
        "rejected",
    }
)
UNKNOWN_SIDE = frozenset(
    {
        "expired",
        "network_error",
        "system_error",
        "system_full",
        "mailer_error",
        "filtered",
        "on_hold",
        "undefined",
    }
)
FAILURE_REASONS = RECIPIENT_SIDE | SENDER_SIDE | UNKNOWN_SIDE
NON_FAILURE_REASONS = frozenset({"delivered", "vacation", "feedback"})
ALL_REASONS = FAILURE_REASONS | NON_FAILURE_REASONS

# Only these can ever be hard, and only on a permanent failure.
HARD_REASONS = frozenset({"user_unknown", "host_unknown", "has_moved", "not_accept"})


def side_of(reason: str) -> Side:
    if reason in RECIPIENT_SIDE:
        return "recipient"
    if reason in SENDER_SIDE:
        return "sender"
    if reason in UNKNOWN_SIDE:
        return "unknown"
    return "none"


def is_permanent(action: str, status: str, reply_code: str) -> bool:
    """A failure is permanent only when the MTA gave up and said so with a 5.

    A 4xx reply or 4.x.x status is transient even when `Action: failed` (the
    MTA gave up retrying a temporary error, e.g. a DNS time-out): never hard.
    """
    if action not in ("failed", ""):
        return False
    if status[:1] == "4" or reply_code[:1] == "4":
        return False
    return status[:1] == "5" or reply_code[:1] == "5"


def severity_of(
    reason: str, action: str, status: str, reply_code: str, heuristic: bool
) -> Severity:
    if reason in NON_FAILURE_REASONS or action in ("delayed", "delivered", "relayed", "expanded"):
        return "none"
    if reason in HARD_REASONS and not heuristic and is_permanent(action, status, reply_code):
        return "hard"
    return "soft"


def code_of(reason: str, severity: Severity) -> str | None:
    """The CRM's seed code."""
    if severity == "none":
        return None
    if severity == "hard":
        return "bounce_df" if reason in ("host_unknown", "not_accept") else "bounce_hb"
    return "bounce_fm" if reason == "mailbox_full" else "bounce_tr"


class Classification(NamedTuple):
    """The verdict on one recipient, with the name of the rule that reached it.

    A named tuple rather than a frozen dataclass: as immutable and built the
    same way (positional or by field name), but its class costs ~0.1 ms to
    create instead of ~1.5 ms (every run of the command imports this module),
    and classification no longer needs `dataclasses`.
    """

    reason: str
    side: Side
    severity: Severity
    code: str | None
    rule: str
