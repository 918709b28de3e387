"""not_compliant_rfc: the message breaks RFC 5322 (e.g. several From: addresses)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "not_compliant_rfc"
PATTERNS = (
    Pattern(
        "multiple_from",
        r"\bmultiple addresses in from:|\bnot (?:rfc|rfc ?5322|rfc ?2822) compliant\b|\bdoes not (?:comply|conform) (?:with|to) rfc\b|\bwithout (?:a )?to:? (?:field|header)s?\b|"
        # Gmail's help link for such messages.
        r"\bp=rfcmessagenoncompliant\b",
    ),
)
