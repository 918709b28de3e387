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
            r"resolver\.rst\.(?:authrequired|notauthorized|sendernotauthenticated\w*)"
            r"|client was not authenticated to send anonymous mail",
        ),
        # 5.7.509: DMARC reject; 5.7.515: the sending domain does not meet the
        # authentication level required of high-volume senders.
        P("dmarc", "auth_failure", r"dmarc", status=r"5\.7\.509"),
        P("dmarc_code", "auth_failure", status=r"5\.7\.509|5\.7\.515"),
        P("sc_block", "blocked", r"\bsc-00[1-4]\b"),
        P(
            "banned_ip",
            "blocked",
            r"banned sending ip|access denied, banned",
            status=r"5\.7\.60[0-9]",
        ),
        # 5.7.606-649: banned sending IP; 5.7.501-503, 5.7.511: spam abuse or
        # banned sender; 5.7.513: the recipient's customer block list;
        # 5.7.708: traffic not accepted from this IP; 5.7.750: unregistered domain.
        P(
            "banned_code",
            "blocked",
            status=r"5\.7\.6[0-4][0-9]|5\.7\.50[1-3]|5\.7\.51[13]|5\.7\.708|5\.7\.750",
        ),
        P("rfc5322_code", "not_compliant_rfc", status=r"5\.7\.512"),
        # 5.7.700-749 (but 708): the sending tenant exceeded its threshold.
        P("tenant_threshold", "speeding", status=r"5\.7\.7(?:[0-3][0-9]|4[0-9])"),
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
        P(
            "sender_limit",
            "speeding",
            r"exceeded the (?:sending|recipient rate) limit|submission quota|sending quota",
        ),
    ),
)
