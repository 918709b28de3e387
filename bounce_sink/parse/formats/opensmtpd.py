"""OpenSMTPD notices without a delivery-status part (older smtpd).

"This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail." then, after
"... for the following list of recipients:", one line per recipient,
unindented: "addr: reason". A "warning" notice ("A message is delayed ...",
"only a temporary failure report") is a delay, not a failure.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

OPENSMTPD = LayoutFormat(
    name="opensmtpd",
    subject=rx(r"^delivery status notification: (?:error|failed|warning|delayed)"),
    from_=rx(r"mailer[ -]daemon"),
    require_all=True,
    layout=TextLayout(
        start=rx(r"for\s+the\s+following\s+list\s+of\s+recipients:"),
        recipient=rx(r"^(\S+@\S+?):\s"),
        end=rx(r"^\s*below is a copy of the original message"),
        whole_line=True,
    ),
)
