"""Other French consumer ISPs (SFR, Free): their documented refusals."""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="french_isp",
    hosts=r"(?:^|\.)(?:sfr\.fr|neuf\.fr|free\.fr|aliceadsl\.fr|bbox\.fr)$",
    domains=("sfr.fr", "neuf.fr", "free.fr", "aliceadsl.fr"),
    patterns=(
        P("mailbox_full", "mailbox_full", r"boite pleine|mailbox (?:is )?full|quota"),
        P("spam", "spam_detected", r"spam"),
        P("blocked", "blocked", r"\bblocked\b|blacklist|block ?list|\bip\b.*refus"),
    ),
)
