"""Mimecast: the documented "Mimecast SMTP error codes".

Mimecast's knowledge base ("Mimecast SMTP Error Codes") lists each refusal
text with its cause: a Blocked Senders policy or a personal block of the
envelope/header sender ("Envelope blocked - User Entry") refuses the
sender, not the recipient; "Local CT IP Reputation" and the 451 greylisting
text are the sending IP's reputation; "Unable to process connection at this
time" is the gateway at maximum load; "Account inbounds disabled" means the
customer's inbound mail is switched off.
"""

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
            "ip_reputation",
            "bad_reputation",
            r"local ct ip reputation|internal resources are temporarily unavailable",
        ),
        # Blocked Senders policies, personal blocks and SPF hard rejections.
        P(
            "sender_policy_block",
            "rejected",
            r"administrative prohibition envelope blocked|envelope blocked\b"
            r"|blocked senders - block|block policy for envelope from",
        ),
        P(
            "blocked",
            "blocked",
            r"(?:rejected by|blocked by) (?:the )?(?:recipient's )?(?:administrator|policy)|\brbl\b"
            r"|recipient temporarily unavailable|ip temporarily blacklisted",
        ),
        # "Mimecast SMTP Error Codes": a Blocked Senders policy, and the gateway at load.
        P("sender_blocked", "blocked", r"sender address blocked"),
        P(
            "busy",
            "system_error",
            r"unable to process (?:connection|command|an email) at this time|unable to process command"
            r"|message ended early",
        ),
        P(
            "policies",
            "policy_violation",
            r"anti-spoofing policy|content examination policy|host network not allowed",
        ),
        P(
            "encryption_and_auth",
            "security_error",
            r"this route requires (?:encryption|tls version|high-strength ciphers)"
            r"|incorrect authentication data|configuration is invalid for this certificate",
        ),
        P(
            "account_limits",
            "too_many_conn",
            r"account service is temporarily unavailable|exceeding outbound thread limit",
        ),
        P("inbound_disabled", "not_accept", r"account inbounds disabled"),
        # The Mimecast customer's own settings (outbound switched off, Omni
        # Directional hostnames, journaling past expiry): says nothing of the
        # recipient or of us, too little to judge.
        P(
            "customer_configuration",
            "on_hold",
            r"account outbounds disabled|hostname is not authorized|journal message past expiration",
        ),
        P("size_limit", "mesg_too_big", r"maximum email size exceeded"),
        P("spam", "spam_detected", r"message rejected as spam|spam signature|spam detected"),
        P("dmarc", "auth_failure", r"dmarc|spf|dkim"),
    ),
)
