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
        # 5.7.12, 5.7.124, 5.7.133-136: the recipient (a mailbox, group, public
        # folder) accepts mail only from its own organization or listed senders.
        P(
            "sender_restricted",
            "rejected",
            r"resolver\.rst\.sendernotauthenticated\w*|sender was not authenticated"
            r"|sender not authenticated for group|sender not in allowed-senders list",
        ),
        P(
            "auth_required",
            "security_error",
            r"resolver\.rst\.(?:authrequired|notauthorized)"
            r"|client was not authenticated to send anonymous mail",
        ),
        # 5.7.509: DMARC reject; 5.7.515: the sending domain does not meet the
        # authentication level required of high-volume senders.
        P("dmarc", "auth_failure", r"dmarc", status=r"5\.7\.509"),
        P("dmarc_code", "auth_failure", status=r"5\.7\.509|5\.7\.515"),
        P("sc_block", "blocked", r"\bsc-00[1-4]\b"),
        # DANE and DNSSEC failures of the destination (5.7.322-325) and an
        # unsigned message over IPv6 (4.7.26): authentication of the path.
        P(
            "dane_dnssec",
            "auth_failure",
            r"tlsa-invalid|dnssec-invalid|certificate-host-mismatch|certificate-expired"
            r"|must pass either spf or dkim validation",
        ),
        P("ip_reputation_rate", "bad_reputation", r"rate limited due to ip reputation"),
        P(
            "access_denied_blocked",
            "blocked",
            r"access denied, (?:bad helo|rejected by recipient|please try again later)"
            r"|does not accept email over ipv6|restrictdomainstoipaddresses"
            r"|part of their network is on our block list",
        ),
        # Exchange's refusal of a HELO name, not of a recipient domain.
        P("invalid_helo_domain", "blocked", r"invalid domain name", status=r"5\.5\.4"),
        P(
            "content_errors",
            "content_error",
            r"too many related errors|invalid characters|barelinefeedsareillegal"
            r"|agent generated message depth exceeded|invalid message content",
            status=r"5\.3\.0|5\.6\.11|5\.4\.11|5\.5\.6",
        ),
        P("recipient_size_limit", "exceed_limit", r"recipsizelimit"),
        # 5.4.4 SMTPSEND.DNS.NonExistentDomain: "a DNS or network adapter
        # configuration issue on the Exchange server"; 5.4.6/5.4.14 loops;
        # 4.4.316 connection refused.
        P(
            "routing_failure",
            "network_error",
            r"nonexistentdomain|nonexistent domain|invalid arguments|routing loop detected"
            r"|hop count exceeded|connection refused",
            status=r"5\.4\.4|5\.4\.6|5\.4\.14|4\.4\.316",
        ),
        # 5.7.900-999: a mail flow (transport) rule rejected the message.
        P(
            "transport_rule",
            "policy_violation",
            r"delivery not authorized, message refused|x-dg-ref header is too long"
            r"|policy violation detected \(as345\)",
            status=r"5\.7\.9[0-9][0-9]|5\.0\.350",
        ),
        P(
            "tls_not_offered",
            "security_error",
            r"starttls is required to send mail|starttls-not-supported",
            status=r"[45]\.4\.317|[45]\.7\.321",
        ),
        P("content_filter", "spam_detected", r"content filter agent quarantined this message"),
        P(
            "receive_limits",
            "speeding",
            r"recipient thread limit exceeded|reached your daily limit for message recipients"
            r"|per hour message receive limit|has exceeded permitted limits within",
        ),
        P("old_receive_limit", "too_many_conn", r"the recipient has exceeded their limit for"),
        # 5.7.504/5.7.505 (a recipient refused or banned by the service) and
        # "mailbox cannot be accessed": the mailbox exists; suspend, soft.
        P(
            "recipient_suspended",
            "suspend",
            r"recipient address rejected: access denied|access denied, banned recipient",
            status=r"5\.7\.50[45]",
        ),
        P("mailbox_inaccessible", "suspend", r"mailbox cannot be accessed", status=r"5\.2\.1"),
        P(
            "protocol_sequence",
            "syntax_error",
            r"unrecognized command|send hello first",
            status=r"5\.3\.3|5\.5\.2",
        ),
        P(
            "service_not_active",
            "system_error",
            r"service not (?:available|active)",
            status=r"4\.3\.2",
        ),
        P(
            "server_problems",
            "system_error",
            r"system incorrectly configured|journaling .{0,80}not supported"
            r"|helo / ehlo requires domain address|destination mailbox address ambiguous"
            r"|mailing list expansion problem|misconfigured forwarding address"
            r"|temporary server error\. please try again later|message failed to be replicated"
            r"|suspiciousremoteservererror|server busy\. please try again later from|pfa agent busy",
        ),
        P(
            "invalid_recipient_address",
            "user_unknown",
            r"recipient address reserved by rfc 2606|recipient addresses in single label domains"
            r"|invalid x\.400 address",
        ),
        # 5.7.501-503 spam abuse / banned sender (the sending account), 5.7.750
        # unregistered sending domains: refusals of the sender.
        P("sender_banned", "rejected", status=r"5\.7\.50[1-3]|5\.7\.750"),
        P(
            "banned_ip",
            "blocked",
            r"banned sending ip|access denied, banned",
            status=r"5\.7\.60[0-9]",
        ),
        # 5.7.606-649: banned sending IP; 5.7.511: banned sender IP;
        # 5.7.513: the recipient's customer block list.
        P("banned_code", "blocked", status=r"5\.7\.6[0-4][0-9]|5\.7\.51[13]"),
        P("rfc5322_code", "not_compliant_rfc", status=r"5\.7\.512"),
        # 5.7.700-749 (708 too: "traffic not accepted from this IP", the
        # tenant's traffic judged suspicious): the sending tenant's threshold.
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
        # Outlook.com's own notice when it could not reach the recipient's
        # domain ("... because the domain is not reachable. Please check the
        # domain and try again"): a DNS or connection failure on its side.
        # Microsoft does not say the domain does not exist, so not
        # host_unknown (hard): network_error, soft.
        P("domain_not_reachable", "network_error", r"because the domain is not reachable"),
        # Codes alone, as "Email non-delivery reports and SMTP errors in
        # Exchange Online" lists them; the worded rules above decide first.
        # 4.4.312/5.4.312 DNS query failed; 4.4.316/5.4.316 connection
        # refused until the message expired.
        P("dns_query_failed_code", "network_error", status=r"[45]\.4\.312"),
        P("expired_refused_code", "expired", status=r"[45]\.4\.316"),
        # 4.7.500-699 and 4.7.850-899: "Access denied, please try again
        # later", the sending IP held back for a while.
        P("ip_deferred_code", "blocked", status=r"4\.7\.(?:[56][0-9][0-9]|8[5-9][0-9])"),
        # 5.4.1 without DBEB's words: "Relay Access Denied", the domain is
        # not one the tenant accepts mail for.
        P("relay_denied_code", "no_relaying", status=r"5\.4\.1"),
        P("bare_linefeeds_code", "content_error", status=r"5\.6\.11"),
        # 5.7.12, 5.7.124, 5.7.133-136: the recipient takes mail from its
        # organization or listed senders only (see sender_restricted).
        P("sender_restricted_code", "rejected", status=r"5\.7\.12|5\.7\.124|5\.7\.13[3-6]"),
        # 5.7.506 bad HELO, 5.7.507 rejected by recipient, 5.7.510 no mail
        # over IPv6 (see access_denied_blocked); 5.7.508 the IP range's
        # limits (see receive_limits); 5.7.57 anonymous mail at MAIL FROM.
        P("access_denied_code", "blocked", status=r"5\.7\.50[67]|5\.7\.510"),
        P("ip_range_limit_code", "speeding", status=r"5\.7\.508"),
        P("anonymous_mail_code", "security_error", status=r"5\.7\.57"),
    ),
)
