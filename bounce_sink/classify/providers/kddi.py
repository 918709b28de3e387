"""KDDI / au (ezweb.ne.jp, au.com, uqmobile.jp): KDDI's refusals."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="kddi",
    hosts=r"(?:^|\.)(?:ezweb\.ne\.jp|au\.com|kddi\.com|uqmobile\.jp)$",
    domains=("ezweb.ne.jp", "au.com", "uqmobile.jp"),
    patterns=(
        # au answers ": User unknown" with an empty address when the subscriber's
        # own filter refuses the sender; a real lookup failure names the address.
        P("filter_refusal", "filtered", r"(?:^|\s): user unknown\b"),
        P("user_unknown", "user_unknown", r"<[^>]+>: user unknown\b"),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota"),
        P("too_many", "too_many_conn", r"too many (?:recipients|connections)"),
    ),
)
