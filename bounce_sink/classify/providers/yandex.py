"""Yandex (yandex.ru, ya.ru, yandex.com): "SMTP replies" of Yandex help."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="yandex",
    hosts=r"(?:^|\.)(?:yandex\.(?:ru|net|com|ua|by|kz)|ya\.ru)$",
    markers=r"yandex\.(?:ru|com)/support|\bmx\.yandex\.",
    domains=("yandex.ru", "ya.ru", "yandex.com", "yandex.ua", "yandex.by", "yandex.kz"),
    patterns=(
        P("no_such_user", "user_unknown", r"no such user|user not found|unknown user"),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota|quota exceeded"),
        P(
            "spam",
            "spam_detected",
            r"message rejected under suspicion of spam|looks like spam|\bspam\b",
        ),
        P(
            "disabled",
            "suspend",
            r"account (?:is )?(?:disabled|blocked|frozen)|mailbox (?:is )?(?:disabled|blocked)",
        ),
        P("dmarc", "auth_failure", r"dmarc|spf|dkim"),
    ),
)
