"""qmail and netqmail (qmail-send), also Yahoo's and others' qmail-based bounces.

Each recipient starts a paragraph `<address>:`; the paragraph holds the
remote host's answer ("Remote host said: 550 ...") or qmail's own words,
which it never prefixes with a code ("Sorry, no mailbox here by that name.
(#5.1.1)" carries the status after a hash).
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

QMAIL = LayoutFormat(
    name="qmail",
    subject=rx(r"^failure notice"),
    layout=TextLayout(
        recipient=rx(r"^<([^>\s]+@[^>\s]+)>:?[ \t]*$"),
        end=rx(r"^--- (?:below this line|enclosed are)"),
    ),
    hints=(
        (rx(r"no mailbox here by that name|mailbox unavailable|user unknown"), "user_unknown"),
        (rx(r"mailbox is full|over quota|quota exceeded"), "mailbox_full"),
        (
            rx(
                r"sorry, i couldn't find any host (?:named|by that name)|"
                r"sorry, i couldn't find a mail exchanger"
            ),
            "host_unknown",
        ),
        (rx(r"i'm not going to try again; this message has been in the queue too long"), "expired"),
    ),
)
