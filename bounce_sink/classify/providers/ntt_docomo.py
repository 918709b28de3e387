"""NTT docomo (docomo.ne.jp): the receiving host of Japan's largest carrier.

docomo answers ``550 Unknown user`` also for addresses that exist but
refuse this sender (the subscriber's domain/spam filter), so that wording
from docomo is not proof of a missing mailbox: "rejected", soft.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="ntt_docomo",
    hosts=r"(?:^|\.)docomo\.ne\.jp$",
    patterns=(
        P("unknown_user_filter", "rejected", r"\bunknown user\b"),
        P("too_many_recipients", "too_many_conn", r"too many recipients"),
        P("no_such_domain", "host_unknown", r"no such domain|domain not found"),
    ),
)
