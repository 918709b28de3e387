"""Zoho Mail notices.

One line per recipient: "addr Invalid Address, ERROR_CODE :550, ERROR_CODE
:5.2.1 ..."; delay notices write "[Status: Error, Address: <addr>,
ResponseCode 421, ...]".
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

ZOHO = LayoutFormat(
    name="zoho",
    from_=rx(r"mailer-daemon@(?:mail\.)?zoho(?:mail)?\.(?:com|eu|in)"),
    layout=TextLayout(
        recipient=rx(
            r"^(\S+@\S+)\s+(?:invalid address|.*error_code)|Address:\s*(<[^>\s]+@[^>\s]+>)"
        ),
        whole_line=True,
    ),
)
