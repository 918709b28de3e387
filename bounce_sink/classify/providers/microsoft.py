"""Microsoft (Exchange Online, Outlook.com, Hotmail): "NDRs in Exchange Online".

Exchange Online uses extended codes (5.7.509, 5.7.606 ...) whose meaning
Microsoft documents; the code alone is enough there.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="microsoft",
    hosts=r"(?:^|\.)(?:outlook\.com|hotmail\.com|live\.com|msn\.com|protection\.outlook\.com|office365\.com|microsoft\.com|exchangelabs\.com)$",
    markers=r"\.prod\.(?:protection\.)?outlook\.com\b|\bgo\.microsoft\.com/fwlink\b|\bsender\.office\.com\b|\bsc-00[1-4]\b",
    domains=("hotmail.com", "outlook.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.fr"),
    patterns=(
        # Directory-Based Edge Blocking: the recipient does not exist in the tenant.
        P(
            "access_denied_dbeb",
            "user_unknown",
            r"recipient address rejected: access denied",
            status=r"5\.4\.1",
        ),
        P(
            "recipient_not_found",
            "user_unknown",
            r"resolver\.adr\.(?:ex)?recip(?:ient)?notfound|recipient not found by smtp address lookup",
        ),
        P(
            "mailbox_unavailable",
            "user_unknown",
            r"requested action not taken: mailbox unavailable",
            status=r"5\.(?:5\.0|1\.1)",
        ),
        P(
            "auth_required",
            "security_error",
            r"resolver\.rst\.authrequired|resolver\.rst\.notauthorized",
        ),
        P("dmarc", "auth_failure", r"dmarc", status=r"5\.7\.509"),
        P("dmarc_code", "auth_failure", status=r"5\.7\.50[0-9]|5\.7\.51[0-5]"),
        P("sc_block", "blocked", r"\bsc-00[1-4]\b"),
        P(
            "banned_ip",
            "blocked",
            r"banned sending ip|access denied, banned",
            status=r"5\.7\.60[0-9]",
        ),
        P("banned_ip_code", "blocked", status=r"5\.7\.60[0-9]"),
        P(
            "mailbox_full",
            "mailbox_full",
            r"storedrv\.deliver: mailbox full|quotaexceeded|mailbox (?:is )?full",
        ),
        # Exchange Online uses 5.1.10 for "recipient not found", not RFC 7505's null MX.
        P("recipient_not_found_code", "user_unknown", status=r"5\.1\.10"),
        P(
            "domain_not_found",
            "host_unknown",
            r"dns domain .* does not exist|domain (?:name )?(?:does not exist|not found)",
            status=r"5\.4\.(?:1|4|310|312)",
        ),
        P("too_many_recipients", "too_many_conn", status=r"5\.5\.3"),
        P("spam", "spam_detected", status=r"5\.7\.(?:1|7)00|5\.7\.708"),
        P(
            "sender_limit",
            "speeding",
            r"exceeded the (?:sending|recipient rate) limit|submission quota|sending quota",
        ),
    ),
)
