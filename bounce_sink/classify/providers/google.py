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
            r"account that you tried to reach does not exist|\bnosuchuser\b|\baddress couldn't be found\b"
            r"|the recipient address .{0,100}?is not a valid rfc 5321 address",
        ),
        P(
            "disabled",
            "suspend",
            r"account that you tried to reach is (?:disabled|inactive)|\bdisableduser\b",
        ),
        P(
            "over_quota",
            "mailbox_full",
            r"account that you tried to reach is over quota|(?:inbox|recipient) (?:is )?out of storage space|\boverquota\b"
            r"|\bemail quota exceeded\b",
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
            r"unusual rate of (?:unsolicited )?mail",
        ),
        P(
            "dmarc",
            "auth_failure",
            r"dmarc policy|sender is unauthenticated|requires all senders to authenticate|does not pass (?:spf|dkim)|spf record with a hard fail|not authenticated with dkim"
            r"|fails to pass authentication checks|senders to authenticate (?:their email )?with (?:spf|dkim)"
            r"|aligned with either the authenticated spf or dkim|the spf record of the sending domain",
        ),
        P(
            "ptr",
            "require_ptr",
            r"does not have a ptr record|ptr record setup|reverse dns|have a ptr record, or the ptr record"
            r"|ipv6 sending guidelines regarding ptr records|does not match the ip address of the hostname",
        ),
        P(
            "multiple_from",
            "not_compliant_rfc",
            r"multiple addresses in from: header|not rfc 5322 compliant"
            r"|missing a valid (?:address in the from: header|message-id: header)"
            r"|unicode character in a disallowed header|encoded-word syntax is not permitted"
            r"|the sender address .{0,100}?is not a valid rfc 5321 address|mail message is malformed",
        ),
        P(
            "spam",
            "spam_detected",
            r"likely unsolicited mail|message has been blocked because .* (?:spam|unsolicited)|detected that this message is likely (?:unsolicited|spam)",
        ),
        P(
            "security_issue",
            "policy_violation",
            r"content presents a potential security issue|blocked because its content .*security",
        ),
        P(
            "policy",
            "policy_violation",
            r"policy that prohibited the mail that you sent|illegal attachment on your message"
            r"|sending messages with the same message-id",
        ),
        # The header and attachment limits of "Gmail receiving limits in Google
        # Workspace": a limit of the receiving side, not the message's size.
        P(
            "header_limits",
            "exceed_limit",
            r"exceeds google's limit of .{0,20}attachments|message header size limit"
            r"|bytes per individual header size|exceeds google's header name limit",
        ),
        P(
            "size",
            "mesg_too_big",
            r"exceeded google's message size limits|message exceeded .*size limit",
        ),
        # "Use the SMTP relay at your service provider instead", and the SMTP
        # relay service's own refusals ("Mail relay denied", "Invalid
        # credentials for relay"): relaying not allowed from there.
        P("relay_denied", "no_relaying", r"\bmail relay denied\b|invalid credentials for relay"),
        P(
            "not_authorized_ip",
            "no_relaying",
            r"ip you're using to send mail is not authorized|not authorized to send email directly to our servers",
        ),
        P("group_spam", "spam_detected", r"was rejected due to spam classification"),
        P("content_suspicious", "spam_detected", r"suspicious due to the nature of the content"),
        P("ip_not_whitelisted", "blocked", r"ip not in whitelist for rcpt domain"),
        P(
            "tls_required",
            "failed_starttls",
            r"tls required for rcpt domain|starttls may not be repeated|senders to use tls/ssl",
        ),
        # "421 4.7.0 Try again later, closing connection" (a denial of service
        # at HELO) and the HELO/EHLO argument refusals.
        P(
            "helo_refused",
            "blocked",
            r"try again later, closing connection|helo/ehlo argument (?:is invalid|not allowed)",
        ),
        P(
            "mail_sending_denied",
            "rejected",
            r"mail sending denied|unauthenticated email is not accepted",
        ),
        P(
            "connection_expired",
            "expired",
            r"connection expired, try reconnecting|timeout - closing connection",
        ),
        P(
            "domain_policy_size",
            "system_error",
            r"domain policy size per transaction exceeded"
            r"|multiple destination domains per transaction is unsupported"
            r"|mail server (?:has )?temporarily rejected (?:this )?message",
        ),
        P(
            "too_many_recipients",
            "too_many_conn",
            r"message has too many recipients|too many recipients for this sender",
        ),
        P(
            "daily_quota",
            "speeding",
            r"daily (?:user )?sending (?:quota|limit) exceeded|relay (?:sending )?limit exceeded"
            r"|this mail has been rate limited",
        ),
        P("server_busy", "system_error", r"server busy, try again later"),
        P("temporary_problem", "system_error", r"temporary system problem"),
        P(
            "protocol_violation",
            "syntax_error",
            r"smtp protocol violation|unrecognized authentication type|xoauth is no longer supported"
            r"|too many unauthenticated commands|optional argument not permitted",
        ),
        P("connect_failed", "expired", r"recipient server did not accept our requests to connect"),
        # Google Groups refuses posts from non-members, in the group's own
        # language; any other refusal for a group address is that check.
        P("group_post_refused", "rejected", r"", domain=r"googlegroups\.com"),
    ),
)
