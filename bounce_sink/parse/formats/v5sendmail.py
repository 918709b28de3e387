"""Sendmail V5 (and other pre-DSN Sendmails).

No delivery-status part: "----- Transcript of session follows -----" holds
"554 <addr>... reason" lines, one per recipient.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

V5SENDMAIL = LayoutFormat(
    name="v5sendmail",
    subject=rx(r"^returned mail: "),
    from_=rx(r"mail delivery subsystem"),
    require_all=True,
    layout=TextLayout(
        start=rx(r"^\s*-+\s*transcript of session follows\s*-+"),
        recipient=rx(r"^\d{3}\s+(<[^>\s]+@[^>\s]+>)\.\.\."),
        whole_line=True,
    ),
)
