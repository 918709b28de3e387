"""Trend Micro InterScan Messaging Security Suite notices.

"Unable to deliver message to <addr> (and other recipients in the same
domain)." on one line: the line is the whole explanation.
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
)
