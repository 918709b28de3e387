"""exceed_limit: the message exceeds a per-recipient administrative limit."""

from bounce_sink.classify.rules.model import Pattern

REASON = "exceed_limit"
PATTERNS = (
    Pattern(
        "length_exceeds_limit",
        # qmail-ldap's per-user limit (its own spelling, 5.2.3).
        r"\bmessage length exceeds administrative limit\b|\bexc?eeded the maximum size the user accepts\b",
    ),
)
