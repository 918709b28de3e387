"""Verizon Wireless's SMS and MMS gateways (vtext.com, vzwpix.com).

The MMS gateway takes the message and answers later "Message could not be
delivered to mobile. Error: No valid recipients for this MM": it found no
subscriber behind the number. That is a lookup, but one made after the
message was taken, with no status of its own: like any "user unknown" it
is hard only beside an x.1.1 status (the engine's rule for the generic
wording); without one it is read as the engine reads such words without a
lookup behind them, ``filtered`` and soft.
"""

from bounce_sink.classify.rules.model import Provider
from bounce_sink.classify.rules.model import ProviderPattern as P

PROVIDER = Provider(
    name="verizon",
    hosts=r"(?:^|\.)(?:vtext\.com|vzwpix\.com)$",
    domains=("vtext.com", "vzwpix.com"),
    patterns=(
        P(
            "no_valid_recipients",
            "user_unknown",
            r"\bno valid recipients for this mm\b",
            status=r"[45]\.1\.1",
        ),
        P("no_valid_recipients_unconfirmed", "filtered", r"\bno valid recipients for this mm\b"),
    ),
)
