"""security_error: a security requirement (authentication, encryption) failed."""

from bounce_sink.classify.rules.model import Pattern

REASON = "security_error"
PATTERNS = (
    Pattern(
        "authentication_required",
        r"\bauthentication required\b|\bauthrequired\b|\bunauthenticated senders not allowed\b|\bsmtp auth(?:entication)? (?:is )?required\b|\bmust (?:be authenticated|authenticate)\b",
    ),
    Pattern(
        "authentication_failed",
        r"\bauthentication (?:failed|credentials invalid)\b|\bauth(?:entication)? mechanism (?:is )?too weak\b",
    ),
)
