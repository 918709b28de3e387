"""bad_reputation: refused because of the sending IP's or domain's reputation."""

from bounce_sink.classify.rules.model import Pattern

REASON = "bad_reputation"
PATTERNS = (
    Pattern(
        "low_reputation",
        r"\b(?:low|poor|bad|negative) (?:ip |sender |domain )?reputation\b|\breputation of the sending\b|"
        r"\brate limited due to (?:ip|domain) reputation\b",
    ),
    Pattern(
        "reputation_block", r"\breputation (?:block|score|too low|problems?)\b|\bsender ?score\b"
    ),
)
