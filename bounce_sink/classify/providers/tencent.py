"""Tencent (QQ Mail, Foxmail, exmail): service.mail.qq.com help codes.

Each refusal links a help page (service.mail.qq.com/detail/122/<n>) that
names the cause: the four "frequency limited" pages (IP, domain, sender,
connection: 172-175) are limits on the sending side's connections; 57/66/170
("suspected bounce attacks", "suspected spam IP", "connection denied")
block the sending host; 92 ("mail is rejected by recipients") is the
recipient's own refusal of this sender; 59/171 are content judged spam; 169
"mailbox not found"; 167 "bad address syntax"; a "deactivated mailbox" is
an account closed to mail (suspend, soft).
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="tencent",
    hosts=r"(?:^|\.)(?:qq\.com|foxmail\.com|exmail\.qq\.com)$",
    markers=r"service\.mail\.qq\.com|\bqq\.com\b.*help",
    domains=("qq.com", "foxmail.com", "vip.qq.com"),
    patterns=(
        P("domain_frequency", "too_many_conn", r"domain frequency limited"),
        P(
            "frequency",
            "too_many_conn",
            r"connection frequency limited|ip frequency limited|frequency limited",
        ),
        P(
            "ip_blocked",
            "blocked",
            r"mailbox unavailable or access denied.*blocked|ip is rejected|blocked ip|\bip\b.*\bblock"
            r"|suspected bounce attacks|suspected spam ip|\bconnection denied\b",
        ),
        P("rejected_by_recipient", "rejected", r"mail is rejected by recipients"),
        P("deactivated", "suspend", r"is a deactivated mailbox"),
        P("bad_address_syntax", "syntax_error", r"bad address syntax"),
        P("spam", "spam_detected", r"suspected spam|spam"),
        P(
            "mailbox_not_found",
            "user_unknown",
            r"mailbox not found|mailbox unavailable or not found|user not found|no such user",
        ),
        P("over_quota", "mailbox_full", r"mailbox is full|over quota|quota exceeded"),
    ),
)
