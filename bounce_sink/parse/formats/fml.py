"""fml mailing-list manager notices (X-MLServer: fml ...).

fml answers a post it refused with the list address in the text
("Duplicated Message-ID in <list@...>", "you are not a member"); that is
the address the post failed to reach.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

FML = LayoutFormat(
    name="fml",
    header_values=(("x-mlserver", rx(r"\bfml\b")),),
    layout=TextLayout(
        recipient=rx(r"(?:in|to|of|from)\s+(<[^>\s]+@[^>\s]+>)"),
        use_failed_header=False,
        whole_line=True,
    ),
    hints=(
        (rx(r"duplicated message-id|loop alert"), "system_error"),
        (rx(r"not (?:a )?member|members only|rejected"), "rejected"),
    ),
)
