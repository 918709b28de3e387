"""policy_violation: refused by a content or sending policy of the receiver."""

from bounce_sink.classify.rules.model import Pattern

REASON = "policy_violation"
PATTERNS = (
    Pattern(
        "policy_reasons",
        r"\b(?:rejected|refused|blocked|not accepted|not allowed) (?:for|due to) (?:local |security )?polic(?:y|ies)(?: reasons)?\b|\bfor policy reasons\b",
    ),
    Pattern(
        "violates_policy",
        r"\bviolat(?:es|ed|ion of) (?:our |the |local )?(?:\S+ )?polic(?:y|ies)\b|\bpolicy violation\b|\bprohibited by (?:the )?polic",
    ),
    Pattern("header_error", r"\bheader error\b"),
)
