"""MailFoundry notices.

"Unable to deliver message to: <addr>", then "Delivery failed for the
following reason:" and the remote answer.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

MAILFOUNDRY = LayoutFormat(
    name="mailfoundry",
    subject=rx(r"^message delivery has failed$"),
    header_values=(("received", rx(r"MAILFOUNDRY")),),
    layout=TextLayout(
        recipient=rx(r"unable to deliver message to:\s*(<[^>\s]+@[^>\s]+>)"),
        line_lead=False,
        whole_segment=True,
        strip_lines=(rx(r"^delivery failed for the following reason:\s*$"),),
    ),
)
