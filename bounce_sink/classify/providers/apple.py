"""Apple iCloud (icloud.com, me.com, mac.com): the iCloud postmaster texts."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="apple",
    hosts=r"(?:^|\.)(?:icloud\.com|me\.com|mac\.com|apple\.com)$",
    markers=r"support\.apple\.com/(?:en-us/)?ht204137|\bicloud\.com\b",
    domains=("icloud.com", "me.com", "mac.com"),
    patterns=(
        P(
            "inactive_address",
            "user_unknown",
            r"inactive email address|user does not exist|no such user",
        ),
        P("dmarc", "auth_failure", r"dmarc policy|spf|dkim"),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota"),
        P("blocked", "blocked", r"\bblocked\b|blacklist|block ?list"),
        # "421 4.7.1 Messages to a@icloud.com deferred due to excessive volume".
        P("excessive_volume", "speeding", r"deferred due to excessive volume"),
    ),
)
