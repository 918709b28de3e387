"""Google (Gmail, Google Workspace): "Gmail SMTP errors and codes".

Google's replies end in ``- gsmtp`` and link to support.google.com, which
identifies them even when the Remote-MTA is missing.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="google",
    hosts=r"(?:^|\.)(?:google\.com|googlemail\.com|gmail\.com|aspmx\.l\.google\.com)$",
    markers=r"\bgsmtp\b|support\.google\.com/(?:mail|a)\b",
    domains=("gmail.com", "googlemail.com", "googlegroups.com"),
    patterns=(
        P(
            "no_such_user",
            "user_unknown",
            r"account that you tried to reach does not exist|\bnosuchuser\b|\baddress couldn't be found\b",
        ),
        P(
            "disabled",
            "suspend",
            r"account that you tried to reach is (?:disabled|inactive)|\bdisableduser\b",
        ),
        P(
            "over_quota",
            "mailbox_full",
            r"account that you tried to reach is over quota|(?:inbox|recipient) (?:is )?out of storage space|\boverquota\b",
        ),
        P(
            "rate_limited_recipient",
            "speeding",
            r"receiving mail at a rate that prevents additional messages|receiving mail too quickly",
        ),
        P(
            "low_reputation",
            "bad_reputation",
            r"very low reputation of the sending (?:ip address|domain)|likely suspicious due to the very low reputation",
        ),
        P(
            "unsolicited_rate",
            "blocked",
            r"unusual rate of unsolicited mail originating from your ip",
        ),
        P(
            "dmarc",
            "auth_failure",
            r"dmarc policy|sender is unauthenticated|requires all senders to authenticate|does not pass (?:spf|dkim)|spf record with a hard fail|not authenticated with dkim",
        ),
        P("ptr", "require_ptr", r"does not have a ptr record|ptr record setup|reverse dns"),
        P(
            "multiple_from",
            "not_compliant_rfc",
            r"multiple addresses in from: header|not rfc 5322 compliant",
        ),
        P(
            "spam",
            "spam_detected",
            r"likely unsolicited mail|message has been blocked because .* (?:spam|unsolicited)|detected that this message is likely (?:unsolicited|spam)",
        ),
        P(
            "security_issue",
            "virus_detected",
            r"content presents a potential security issue|blocked because its content .*security",
        ),
        P("policy", "policy_violation", r"policy that prohibited the mail that you sent"),
        P(
            "size",
            "mesg_too_big",
            r"exceeded google's message size limits|message exceeded .*size limit",
        ),
        P(
            "not_authorized_ip",
            "blocked",
            r"ip you're using to send mail is not authorized|not authorized to send email directly to our servers",
        ),
        P("group_spam", "spam_detected", r"was rejected due to spam classification"),
        P("content_suspicious", "spam_detected", r"suspicious due to the nature of the content"),
        P("ip_not_whitelisted", "blocked", r"ip not in whitelist for rcpt domain"),
        P("tls_required", "failed_starttls", r"tls required for rcpt domain"),
        P(
            "too_many_recipients",
            "too_many_conn",
            r"message has too many recipients|domain policy size per transaction exceeded",
        ),
        P(
            "daily_quota",
            "speeding",
            r"daily (?:user )?sending quota exceeded|relay limit exceeded",
        ),
        P("server_busy", "too_many_conn", r"server busy, try again later"),
        P("temporary_problem", "system_error", r"temporary system problem"),
        P("protocol_violation", "syntax_error", r"smtp protocol violation"),
        P("connect_failed", "expired", r"recipient server did not accept our requests to connect"),
        # Google Groups refuses posts from non-members, in the group's own
        # language; any other refusal for a group address is that check.
        P("group_post_refused", "rejected", r"", domain=r"googlegroups\.com"),
    ),
)
