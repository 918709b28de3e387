"""DragonFly Mail Agent (dma).

dma writes "There was an error delivering your mail to <addr>." and then,
in the next paragraph, what went wrong: the remote answer
("mx [ip] did not like our RCPT TO: 550 5.1.1 ...") or its own words
("DNS lookup failure: host ... not found", "Could not deliver for the last
N seconds. Giving up."). The first sentence is boilerplate, so the
explanation starts at the next paragraph.

dma names the refused command in its own words, "did not like our
connect:" when the server refused it at the greeting: the connection stage
(RCPT TO, MAIL FROM and DATA read as those commands already).
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

DRAGONFLY = LayoutFormat(
    name="dragonfly",
    header_values=(("received", rx(r"DragonFly Mail Agent")),),
    subject=rx(r"^mail delivery failed$"),
    layout=TextLayout(
        recipient=rx(r"error delivering your mail to\s+(<[^>\s]+@[^>\s]+>)"),
        line_lead=False,
    ),
    commands=((rx(r"did not like our connect:"), "CONN"),),
    hints=(
        (rx(r"DNS lookup failure: host .* not found"), "host_unknown"),
        (rx(r"Could not deliver for the last \d+ seconds"), "expired"),
    ),
)
