"""Gmail's own failure notices (before Google moved to RFC 3464 DSNs).

The addresses stand alone, indented, after "Delivery to the following
recipient(s) failed permanently:" or "... has been delayed:"; the reason
comes in the paragraph "Technical details of permanent failure:" where
Google quotes the other server ("The error that the other server returned
was: 550 ...").
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
)
