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
    # qmail-remote: "<host> does not like recipient." after RCPT, "... but sender
    # was rejected." after MAIL, "... but greeting failed." on connect,
    # "<host> failed after I sent the message." after DATA.
    commands=(
        (rx(r"does not like recipient"), "RCPT"),
        (rx(r"but sender was rejected"), "MAIL"),
        (rx(r"but greeting failed|but my name was rejected"), "CONN"),
        (rx(r"failed after i sent the message|failed on data command"), "DATA"),
    ),
    hints=(
        # qmail's own words only; a remote server's answer is for classify/ to read.
        (rx(r"no mailbox here by that name"), "user_unknown"),
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

# qmail-derived MTAs with their own subjects ("Delivery failure", "Permanent
# Delivery Failure") keep qmail's "<address>:" paragraphs and its
# "--- Original message follows." separator.
QMAIL_LIKE = LayoutFormat(
    name="qmail-like",
    subject=rx(
        r"^(?:delivery failure|failure delivery|failed delivery|permanent delivery failure)"
    ),
    layout=TextLayout(
        start=rx(r"unable to deliver (?:your )?message to the following address"),
        recipient=rx(r"^<([^>\s]+@[^>\s]+)>:?[ \t]*$"),
        end=rx(r"^--- (?:original message follows|below this line|enclosed are)"),
    ),
    commands=QMAIL.commands,
    hints=QMAIL.hints,
)
