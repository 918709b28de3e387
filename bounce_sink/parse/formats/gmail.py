"""Gmail's own failure notices (before Google moved to RFC 3464 DSNs).

The addresses stand alone, indented, after "Delivery to the following
recipient(s) failed permanently:" or "... has been delayed:"; the reason
comes in the paragraph "Technical details of permanent failure:" where
Google quotes the other server ("The error that the other server returned
was: 550 ...").

Google ends the quoted reply with the SMTP state it was in, "(state 14)":
state 14 is the answer to RCPT TO, states 15, 17 and 18 come after DATA
(the "550 550 No such user here (state 17)" of a content filter), 13 is
the greeting/EHLO, 6 is MAIL FROM, 8, 9 and 12 are AUTH/STARTTLS. That is
the only place these notices say which command was refused.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

GMAIL = LayoutFormat(
    name="gmail",
    from_=rx(r"mailer-daemon@(?:googlemail|gmail)\.com"),
    subject=rx(r"^delivery status notification"),
    require_all=True,
    layout=TextLayout(
        start=rx(
            r"^delivery to the following recipients? (?:failed|has been delayed|"
            r"was aborted).*$"
        ),
        recipient=rx(r"^[ \t]+(\S+@\S+)[ \t]*$"),
        temporary=rx(r"has been delayed|will be retried|temporary"),
        whole_segment=True,
    ),
    hints=(
        (
            rx(r"the email account that you tried to reach does not exist"),
            "user_unknown",
        ),
        (rx(r"over quota|mailbox is full|out of storage space|inbox is full"), "mailbox_full"),
        (rx(r"DNS Error: Domain name not found|domain name not found"), "host_unknown"),
    ),
    commands=(
        (rx(r"\(state 14\)"), "RCPT"),
        (rx(r"\(state 1[578]\)"), "DATA"),
        (rx(r"\(state 13\)"), "EHLO"),
        (rx(r"\(state 6\)"), "MAIL"),
        (rx(r"\(state (?:8|9|12)\)"), "AUTH"),
    ),
)
