"""Tencent (QQ Mail, Foxmail, exmail): service.mail.qq.com help codes."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="tencent",
    hosts=r"(?:^|\.)(?:qq\.com|foxmail\.com|exmail\.qq\.com)$",
    markers=r"service\.mail\.qq\.com|\bqq\.com\b.*help",
    domains=("qq.com", "foxmail.com", "vip.qq.com"),
    patterns=(
        P("domain_frequency", "speeding", r"domain frequency limited"),
        P(
            "frequency",
            "too_many_conn",
            r"connection frequency limited|ip frequency limited|frequency limited",
        ),
        P(
            "ip_blocked",
            "blocked",
            r"mailbox unavailable or access denied.*blocked|ip is rejected|blocked ip|\bip\b.*\bblock",
        ),
        P("spam", "spam_detected", r"suspected spam|spam"),
        P(
            "mailbox_not_found",
            "user_unknown",
            r"mailbox not found|mailbox unavailable or not found|user not found|no such user",
        ),
        P("over_quota", "mailbox_full", r"mailbox is full|over quota|quota exceeded"),
    ),
)
