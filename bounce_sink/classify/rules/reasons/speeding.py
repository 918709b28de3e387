"""speeding: we sent too much, too fast (rate limits, daily quotas)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "speeding"
PATTERNS = (
    Pattern(
        "rate_limited",
        r"\brate limit(?:ed|ing)?\b|\bsending rate\b|\btoo many (?:messages|mails|emails)\b(?! (?:in|on) (?:this|the) (?:mailbox|server))|\bsent (?:to )?too many\b|\bthrottl(?:ed|ing)\b|\bsending quota exceeded\b|\bmax(?:imum)? (?:e-?mails|messages) per hour\b|"
        # Postfix-policy style "Please try again slower"; Gmail's recipient
        # "receiving mail at a rate that prevents additional messages ...".
        r"\bplease try again slower\b|\breceiving mail at a rate that prevents\b",
    ),
)
