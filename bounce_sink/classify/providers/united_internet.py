"""GMX, web.de, mail.com, 1&1/IONOS (United Internet): postmaster error pages.

United Internet sends no enhanced status codes and ends each refusal with a
``postmaster.<brand>/.../error-messages?...&c=<case>`` link whose case tells
the reason.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="united_internet",
    hosts=r"(?:^|\.)(?:gmx\.(?:net|com|de|at|ch)|web\.de|mail\.com|1and1\.(?:com|de)|ionos\.(?:com|de)|kundenserver\.de|schlund\.de)$",
    markers=r"postmaster\.(?:gmx|web|1und1|ionos)\.(?:net|com|de)|\bnemesis esmtp\b",
    domains=("gmx.net", "gmx.de", "gmx.com", "gmx.at", "gmx.ch", "web.de", "mail.com"),
    patterns=(
        P("ptr", "require_ptr", r"bad dns ptr resource record|c=rdns\b"),
        P("blocklisted", "blocked", r"ip address is block listed|c=r0201|\bc=bl\b"),
        P("spf", "auth_failure", r"reject due to spf policy|dmarc"),
        P(
            "mailbox_unavailable",
            "user_unknown",
            r"requested action not taken: mailbox unavailable|mailbox unavailable or access denied",
        ),
        P(
            "too_many_messages",
            "mailbox_full",
            r"user has too many messages on server|mailbox full|maildir over quota",
        ),
        P(
            "policy",
            "blocked",
            r"reject due to policy violations|rejected due to policy violations",
        ),
        P("rate", "speeding", r"rate limit reached"),
        P(
            "spam",
            "spam_detected",
            r"reject due to content restrictions|spam message rejected|message contained unsolicited",
        ),
    ),
)
