"""Cox Communications: the postmaster "Error Codes" (CXBL, IPBL..., CXMXRT ...).

Cox's "Email error codes" page (cox.com/residential/support/email-error-codes)
gives each ``AUP#<code>`` a meaning: CXBL/CDRBL/IPBLnnnn block the sending
IP, URLBLnnn a URL in the body, CXDNS a failed reverse DNS, CXSNDR a sender
domain failing SPF/DKIM, CXSMTP an SMTP violation (an unverifiable sender),
CXCNCT/CXMXRT too many connections or recipients, CXTHRT/CXMJ suspicious
activity of the sending account. The same page lists its plain-text
refusals, read after the codes.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="cox",
    hosts=r"(?:^|\.)cox\.net$|(?:^|\.)cxr\.mx\.a\.cloudfilter\.net$",
    markers=r"\b(?:aup#)?(?:cxbl|cdrbl|ipbl\d{3,5}|urlbl\d{3,4}|cxdns|cxsmtp|cxconn|cxcnct|cxsndr|cxmxrt|cxthrottle|cxthrt|cxmj|cxrcpt|cxtls|cxspf|cxdmarc)\b|postmaster\.cox\.net",
    domains=("cox.net",),
    patterns=(
        P("ip_blocked", "blocked", r"\b(?:cxbl|cdrbl|ipbl\d{3,5})\b"),
        P("url_blocked", "spam_detected", r"\burlbl\d{3,4}\b"),
        P("smtp_violation", "rejected", r"\bcxsmtp\b"),
        P(
            "no_rdns",
            "require_ptr",
            r"\bcxdns\b|dns check failure - try again later|rejected - no rdns",
        ),
        P(
            "too_many_conn",
            "too_many_conn",
            r"\bcx(?:conn|cnct|mxrt)\b|too many sessions from|message threshold exceeded"
            r"|requested action aborted: try again later",
        ),
        P("throttle", "speeding", r"\bcxthrottle\b"),
        P("account_activity", "security_error", r"\bcx(?:thrt|mj)\b"),
        P("dmarc", "auth_failure", r"\bcx(?:spf|dmarc|sndr)\b"),
        P(
            "bad_commands",
            "blocked",
            r"\bcox too many bad commands from|too many invalid recipients",
        ),
        P(
            "protocol_policy",
            "policy_violation",
            r"no data before greeting|attachment extension is forbidden",
        ),
        P("server_unavailable", "system_error", r"esmtp server temporarily not available"),
        P("sender_rejected", "rejected", r"\bsender rejected\b"),
        P("no_such_user", "user_unknown", r"\bcxrcpt\b|no such user"),
        # "recipient rejected: the intended recipient is not a valid Cox Email
        # account"; only with the 5.1.1 Cox sends it with.
        P("recipient_rejected", "user_unknown", r"\brecipient rejected\b", status=r"5\.1\.1"),
    ),
)
