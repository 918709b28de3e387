"""KDDI / au (ezweb.ne.jp, auone-net.jp, dion.ne.jp) notices.

Two shapes: the au one-net notice ("Could not be delivered to: <addr>" then
a sentence that names the reason, e.g. "As their mailbox is full."), and
ezweb's "Mail System Error - Returned Mail" with a "Recipient: <addr>"
line, the SMTP exchange (">>> RCPT TO", "<<< 550 ...") below it.

ezweb's notice opens with its own sentence about the subscriber's account
("The user(s) account is disabled." / "... temporarily limited." /
"... temporarily over quota") above the relayed "550 user unknown": au
answers "user unknown" for suspended and unpaid lines too, so the notice's
sentence is the better reading and, being soft, also the safer one.
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
    notice_hints=(
        (rx(r"the user\(s\) account is (?:disabled|temporarily limited)"), "suspend"),
        (rx(r"the user\(s\) account is temporarily over quota"), "mailbox_full"),
        (rx(r"your message was not delivered within \d+ days"), "expired"),
    ),
)
