"""T-Online (Deutsche Telekom): documented refusals of mx*.t-online.de."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="t_online",
    hosts=r"(?:^|\.)t-online\.de$",
    markers=r"\bt-online\.de\b.*(?:postmaster|block)|\bfwd\d+\.aul\.t-online\.de\b",
    domains=("t-online.de", "magenta.de"),
    patterns=(
        P(
            "blocked",
            "blocked",
            r"\bblocked by (?:t-online|ip reputation)\b|\bsorry, we have (?:a )?problem with your ip\b|\bbl\b.*t-online|not allowed to send mail",
        ),
        P("user_unknown", "user_unknown", r"\buser unknown\b|\baddress unknown\b"),
        P("quota", "mailbox_full", r"quota exceeded|mailbox full|over quota"),
    ),
)
