"""NTT docomo (docomo.ne.jp): the receiving host of Japan's largest carrier.

docomo answers ``550 Unknown user <addr>`` both for an address that does not
exist and for one whose subscriber refuses this sender: a From:-based
refusal comes after DATA, while a subscriber who takes i-mode mail only (or
refuses mail from PCs, a default on some handsets) is refused already at
RCPT TO (akisoftware.com/pmsrv/help/docomo.html; NTT Communications' FAQ
"エラーメールから送信できなかった宛先を確認する" lists a mistyped address, a
changed address and the recipient's refusal setting for the same words).
So the wording never proves a missing mailbox here: after DATA (the 5.2.0
Sendmail reports then) it is the subscriber's filter, otherwise "rejected";
both soft, as a wrong hard bounce unsubscribes a real person.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="ntt_docomo",
    hosts=r"(?:^|\.)docomo\.ne\.jp$",
    patterns=(
        P("unknown_user_after_data", "filtered", r"\bunknown user\b", status=r"5\.2\.0"),
        P("unknown_user_filter", "rejected", r"\bunknown user\b"),
        # "552 Too much mail data": the subscriber's mailbox is full.
        P("too_much_mail_data", "mailbox_full", r"\btoo much mail data\b"),
        P("too_many_recipients", "too_many_conn", r"too many recipients"),
        P(
            "command_sequence",
            "syntax_error",
            r"\bbad sequence of commands|\bcommand parameter not implemented",
        ),
        P("no_such_domain", "host_unknown", r"no such domain|domain not found"),
    ),
)
