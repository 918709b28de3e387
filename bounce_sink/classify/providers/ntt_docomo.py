"""NTT docomo (docomo.ne.jp): the receiving host of Japan's largest carrier.

docomo answers ``550 Unknown user`` also for addresses that exist but
refuse this sender (the subscriber's domain/spam filter). The filter
answers after DATA, while a missing mailbox is refused at RCPT TO: so the
wording proves a missing mailbox only beside the x.1.1 the reporting MTA
gives an RCPT refusal; after DATA (the 5.2.0 Sendmail then reports) it is
the subscriber's filter; otherwise "rejected", soft.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="ntt_docomo",
    hosts=r"(?:^|\.)docomo\.ne\.jp$",
    patterns=(
        P("unknown_user_at_rcpt", "user_unknown", r"\bunknown user\b", status=r"5\.1\.1"),
        P("unknown_user_after_data", "filtered", r"\bunknown user\b", status=r"5\.2\.0"),
        P("unknown_user_filter", "rejected", r"\bunknown user\b"),
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
