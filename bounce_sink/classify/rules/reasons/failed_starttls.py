"""failed_starttls: TLS was required but could not be negotiated."""

from bounce_sink.classify.rules.model import Pattern

REASON = "failed_starttls"
PATTERNS = (
    Pattern(
        "tls_required",
        r"\bmust issue a starttls\b|\b(?:tls|starttls|encryption) (?:is )?required\b|\btls negotiation failed\b|\bstarttls failed\b|\bcannot start tls\b",
    ),
)
