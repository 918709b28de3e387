"""Trend Micro InterScan Messaging Security Suite notices.

"Unable to deliver message to <addr> (and other recipients in the same
domain)." on one line: the line is the whole explanation.

That notice carries no reply from the next hop; InterScan's own verdict is
the sentence after it. "Please check if address is correct" is the product
telling the sender that the address itself failed, so it is passed on as
``user_unknown`` (Sisimai reads these notices the same way); a notice
without that sentence gets no reason guessed.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

INTERSCAN = LayoutFormat(
    name="interscanmss",
    from_=rx(r"interscan|postmaster@"),
    subject=rx(r"^mail could not be delivered|^unable to deliver mail"),
    require_all=True,
    layout=TextLayout(
        recipient=rx(r"unable to deliver (?:the )?message to\s+(<[^>\s]+@[^>\s]+>)"),
        whole_line=True,
    ),
    hints=((rx(r"please check if (?:the )?(?:e-?mail )?address is correct"), "user_unknown"),),
)
