"""Mail.ru (mail.ru, inbox.ru, list.ru, bk.ru): help.mail.ru postmaster texts."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="mail_ru",
    hosts=r"(?:^|\.)(?:mail\.ru|inbox\.ru|list\.ru|bk\.ru|mail\.ua)$",
    markers=r"help\.mail\.ru|postmaster\.mail\.ru",
    domains=("mail.ru", "inbox.ru", "list.ru", "bk.ru"),
    patterns=(
        P(
            "no_such_user",
            "user_unknown",
            r"user not found|no such user|user doesn't exist|mailbox not found",
        ),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|quota exceeded|over quota"),
        P("spam", "spam_detected", r"message (?:looks like|was rejected as) spam|spam message"),
        P("blocked", "blocked", r"\bip\b.*\bblock|blacklist|block ?list|\bratelimit\b"),
        P("disabled", "suspend", r"account (?:is )?(?:disabled|blocked|frozen)"),
    ),
)
