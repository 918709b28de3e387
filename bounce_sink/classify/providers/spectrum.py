"""Spectrum / Charter / Roadrunner: the AUP# codes of "Understanding email error codes".

Spectrum's refusals end in ``AUP#I-1010``, ``AUP#In-1340``, ``AUP#O-1550``...
(I: mail to Spectrum, O: mail from it). The number is the cause, by the
families spectrumbusiness.net's "Understanding email error codes" lists:
1000 a blocked IP; 1010-1080 a sending account limited for suspicious
activity; 1090 a message that cannot be processed now; 1100-1150 the
connecting IP's DNS (reverse DNS); 1160-1190 the sender domain's security
policy; 1200-1250 Cloudmark/Spamhaus listings; 1260 IPv6; 1300-1340
connection limits; 1350-1490 and 1540-1580 volume limits (messages,
recipients); 1500/1520 sending as another address; 1530 size; 1560 too many
invalid recipients.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

_AUP = r"\baup#[a-z]*-?"

PROVIDER = Provider(
    name="spectrum",
    hosts=r"(?:^|\.)(?:charter\.net|rr\.com|twc\.com|spectrum\.net|roadrunner\.com)$",
    markers=r"\baup#(?:i|in|out|o)?-?\d{4}\b",
    domains=("charter.net", "rr.com", "twc.com", "spectrum.net", "roadrunner.com"),
    patterns=(
        P("connection_limit", "too_many_conn", _AUP + r"13[0-3]\d\b|" + _AUP + r"1340\b"),
        P(
            "volume_limit",
            "speeding",
            _AUP + r"(?:13[5-9]\d|14[0-8]\d|1490|1540|1550|1580)\b",
        ),
        P("blocked", "blocked", _AUP + r"(?:1000|12[0-4]\d|1250)\b"),
        P("account_limited", "rejected", _AUP + r"(?:1010|10[2-7]\d|1080|1500|1520)\b"),
        P("cannot_process", "system_error", _AUP + r"1090\b"),
        P("dns", "require_ptr", _AUP + r"(?:11[0-4]\d|1150)\b"),
        P("domain_policy", "policy_violation", _AUP + r"(?:11[6-8]\d|1190|1560)\b"),
        P("ipv6", "network_error", _AUP + r"1260\b"),
        P("size", "mesg_too_big", _AUP + r"1530\b"),
        # A code outside the page's families, in the words of a block.
        P("blocked_wording", "blocked", r"\bcmsmtp\b.*\bblocked\b"),
    ),
)
