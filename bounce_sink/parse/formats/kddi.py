"""KDDI / au (ezweb.ne.jp, auone-net.jp, dion.ne.jp) notices.

Two shapes: the au one-net notice ("Could not be delivered to: <addr>" then
a sentence that names the reason, e.g. "As their mailbox is full."), and
ezweb's "Mail System Error - Returned Mail" with a "Recipient: <addr>"
line, the SMTP exchange (">>> RCPT TO", "<<< 550 ...") below it.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

KDDI = LayoutFormat(
    name="kddi",
    from_=rx(r"@(?:[\w-]+\.)*(?:ezweb\.ne\.jp|auone-net\.jp|dion\.ne\.jp|au\.com)\b"),
    layout=TextLayout(
        recipient=rx(r"^\s*(?:could not be delivered to:|recipient:)\s*(<?[^\s>]+@[^\s>]+>?)"),
    ),
    hints=((rx(r"mailbox is full"), "mailbox_full"),),
)
