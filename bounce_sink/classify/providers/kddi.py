"""KDDI / au (ezweb.ne.jp, au.com, uqmobile.jp): KDDI's refusals and notices.

au's notices about mail its subscribers sent ("Could not be delivered to:
<a@b>") give one sentence of cause; "Due to the following SMTP relay
error" (its signature, the recipient being anywhere) is au's relay giving
the message up on the next hop's refusal. Sisimai's reading, no_relaying,
is kept for the sentence alone; when the next hop's words follow, they
are the better evidence and the generic rules read them.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="kddi",
    hosts=r"(?:^|\.)(?:ezweb\.ne\.jp|au\.com|kddi\.com|uqmobile\.jp)$",
    domains=("ezweb.ne.jp", "au.com", "uqmobile.jp"),
    # The bare sentence only: au's other rules are for au's own hosts.
    markers=r"\bdue to the following smtp relay error\W*$",
    patterns=(
        P(
            "smtp_relay_error",
            "no_relaying",
            r"\bdue to the following smtp relay error\W*$",
        ),
        # au answers ": User unknown" with an empty address when the subscriber's
        # own filter refuses the sender; a real lookup failure names the address.
        P("filter_refusal", "filtered", r"(?:^|\s): user unknown\b"),
        P("user_unknown", "user_unknown", r"<[^>]+>: user unknown\b"),
        P("over_quota", "mailbox_full", r"mailbox (?:is )?full|over quota"),
        P("too_many", "too_many_conn", r"too many (?:recipients|connections)"),
    ),
)
