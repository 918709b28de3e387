"""GoDaddy (secureserver.net): the "IB" bounce codes of GoDaddy's help pages.

IB6xx codes are about the sender (volume, reputation), IB5xx about the
recipient; the documented meanings decide, not the 5.1.1 they come with.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="godaddy",
    hosts=r"(?:^|\.)(?:secureserver\.net|godaddy\.com)$",
    markers=r"\bib[0-9]{3}\b.*x\.co/|x\.co/rlbounce",
    patterns=(
        P(
            "too_many_recipients_hour",
            "speeding",
            r"too many recipients this hour|\bib607\b|\bib605\b|\bib606\b",
        ),
        P(
            "blocked_ip",
            "blocked",
            r"\bib10[1-9]\b|\bib11[0-9]\b|blacklisted|block ?list|\bib401\b",
        ),
        P("spam", "spam_detected", r"judged to be spam|spam content"),
        P("over_quota", "mailbox_full", r"\bib50[0-9]\b.*quota|mailbox (?:is )?full|over quota"),
        P("sender_domain", "rejected", r"\bib501\b|\bib502\b|\bib508\b|sender domain"),
        P(
            "no_such_user",
            "user_unknown",
            r"\bib50[0-9]\b|recipient not found|invalid recipient|no such user",
        ),
    ),
)
