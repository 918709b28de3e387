"""Cox Communications: the postmaster "Error Codes" (CXBL, IPBL..., CXMXRT ...)."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="cox",
    hosts=r"(?:^|\.)cox\.net$|(?:^|\.)cxr\.mx\.a\.cloudfilter\.net$",
    markers=r"\b(?:aup#)?(?:cxbl|cdrbl|ipbl\d{3,4}|urlbl\d{3,4}|cxdns|cxsmtp|cxconn|cxsndr|cxmxrt|cxthrottle|cxrcpt|cxtls|cxspf|cxdmarc)\b|postmaster\.cox\.net",
    domains=("cox.net",),
    patterns=(
        P("ip_blocked", "blocked", r"\b(?:cxbl|cdrbl|ipbl\d{3,4})\b"),
        P("url_blocked", "spam_detected", r"\burlbl\d{3,4}\b|\bcxsmtp\b"),
        P("no_rdns", "require_ptr", r"\bcxdns\b"),
        P("too_many_conn", "too_many_conn", r"\bcxconn\b"),
        P("throttle", "speeding", r"\bcxmxrt\b|\bcxthrottle\b|\bcxsndr\b"),
        P("no_such_user", "user_unknown", r"\bcxrcpt\b|no such user"),
        P("dmarc", "auth_failure", r"\bcxspf\b|\bcxdmarc\b"),
    ),
)
