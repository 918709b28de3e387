"""Mimecast: the documented "Mimecast SMTP error codes"."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="mimecast",
    hosts=r"(?:^|\.)mimecast(?:-offshore)?\.(?:com|co\.za)$",
    markers=r"\bmimecast\b|\bmc(?:spamsignature|virus|malware)\b",
    patterns=(
        P("virus", "virus_detected", r"virus|malware|mcspamsignature|security polic"),
        P(
            "invalid_recipient",
            "user_unknown",
            r"invalid recipient|recipient address rejected: (?:user unknown|invalid)",
        ),
        P(
            "blocked",
            "blocked",
            r"(?:rejected by|blocked by) (?:the )?(?:recipient's )?(?:administrator|policy)|local ct ip reputation|rbl|envelope blocked",
        ),
        # "Mimecast SMTP Error Codes": a Blocked Senders policy, and the gateway at load.
        P("sender_blocked", "blocked", r"sender address blocked"),
        P("busy", "too_many_conn", r"unable to process connection at this time"),
        P("spam", "spam_detected", r"message rejected as spam|spam signature|spam detected"),
        P("dmarc", "auth_failure", r"dmarc|spf|dkim"),
    ),
)
