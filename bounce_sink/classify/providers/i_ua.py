"""I.UA (Ukraine): the numbered error pages its refusals link to.

Each refusal names a page, "https://mail.i.ua/err/N", whose number is the
cause (the pages' titles: 1 SMTP as a mail gate is forbidden, 2 user not
found, 3 mailbox unused for over three months, 4 mailbox full, 5 sending
limit exceeded, 6 use your provider's SMTP, 7 wrong HELO/EHLO, 8 the sender
address could not be checked, 9 the sender's IP is blacklisted, 10 not in
the recipient's list of allowed senders). Its mail hosts are *.email.ua.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="i_ua",
    hosts=r"(?:^|\.)(?:email\.ua|i\.ua)$",
    markers=r"\bi\.ua/err/\d",
    domains=("i.ua", "email.ua"),
    patterns=(
        P("not_a_mail_gate", "no_relaying", r"\bi\.ua/err/[16]\b"),
        P("user_not_found", "user_unknown", r"\bi\.ua/err/2\b"),
        P("unused_mailbox", "suspend", r"\bi\.ua/err/3\b"),
        P("mailbox_full", "mailbox_full", r"\bi\.ua/err/4\b"),
        P("sending_limit", "too_many_conn", r"\bi\.ua/err/5\b"),
        P("bad_helo", "blocked", r"\bi\.ua/err/7\b"),
        P("sender_unverified", "rejected", r"\bi\.ua/err/8\b"),
        P("ip_blacklisted", "blocked", r"\bi\.ua/err/9\b"),
        P("not_an_allowed_sender", "filtered", r"\bi\.ua/err/10\b"),
    ),
)
