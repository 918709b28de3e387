"""Symantec/Broadcom Email Security.cloud (formerly MessageLabs): its knowledge-base bounce texts.

Broadcom's articles on "Email error and bounce codes for Email
Security.cloud" (knowledge.broadcom.com 169652 and the articles it links)
say what each refusal means; the gateway answers for its customers'
domains from *.messagelabs.com hosts.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="messagelabs",
    hosts=r"(?:^|\.)messagelabs\.com$",
    markers=r"\bmessagelabs\.com\b|\bsymanteccloud\.com\b",
    patterns=(
        # "553-SPF (Sender Policy Framework) domain authentication fail", DMARC likewise.
        P("domain_authentication", "auth_failure", r"domain authentication fail"),
        # "501 Connection rejected by policy [7.7]": the IP's reputation with Symantec.
        P("reputation", "bad_reputation", r"connection rejected by policy"),
        P(
            "ip_blocked",
            "blocked",
            r"your ip is in the pbl|your ip address (?:\(\S+\) )?has been (?:blocked|blacklisted)",
        ),
        # The recipient's own block lists name our domain or address.
        P(
            "sender_blocked",
            "rejected",
            r"sender envelope domain not allowed for sender ip address|"
            r"your (?:domain|email address) has been (?:blocked|blacklisted)|"
            r"your envelope sender is in my badmailfrom list",
        ),
        P("stray_linefeeds", "content_error", r"stray linefeeds in message"),
        P("tls_required", "failed_starttls", r"tls/sslv3 connection required"),
        P("not_rfc_5322", "not_compliant_rfc", r"message is not rfc 5322"),
        P("smtp_auth", "security_error", r"turn on smtp authentication"),
        P("filtered", "spam_detected", r"\bmessage filtered\b|filtered by outbound scanning"),
        # "452 Too many recipients received this hour"; "460 too many messages (#4.3.0)".
        P(
            "recipients_per_hour",
            "too_many_conn",
            r"too many recipients received this hour|too many messages \(#4\.3\.0\)",
        ),
        # "550 Requested action aborted [4]": the message's format broke RFC 2822/5322.
        P("format_aborted", "not_compliant_rfc", r"requested action aborted \[4\]"),
        P(
            "invalid_recipient",
            "user_unknown",
            r"invalid recipient|recipient mailbox is not allowed|no such user",
        ),
    ),
)
