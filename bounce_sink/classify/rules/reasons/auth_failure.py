"""auth_failure: SPF, DKIM or DMARC checks of our mail failed."""

from bounce_sink.classify.rules.model import Pattern

REASON = "auth_failure"
PATTERNS = (
    Pattern("dmarc", r"\bdmarc\b"),
    Pattern(
        "spf",
        r"\bspf\b.*\b(?:fail|failed|hard ?fail|not (?:pass|authorized)|check|records?|validation)\b|\b(?:bad|invalid) spf\b|"
        # The SPF verdict in words: "192.0.2.1 is not allowed to send mail from example.org".
        r"\b(?:\d{1,3}\.){3}\d{1,3} is not allowed to send (?:mail|e-?mail) from\b|"
        r"\bspf settings\b|\bspf: \S+ is not allowed to send\b|"
        # pobox.com's SPF explanation page, linked from SPF refusals.
        r"\bspf\.pobox\.com\b|\bsender policy framework violation\b",
    ),
    Pattern("dkim", r"\bdkim\b.*\b(?:fail|failed|invalid|did not pass|required)\b"),
    Pattern(
        "unauthenticated",
        r"\bsender is unauthenticated\b|\bunauthenticated (?:e-?mail|mail|message)\b|\bnot authenticated\b.*\b(?:spf|dkim)\b",
    ),
)
