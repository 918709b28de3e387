"""chasquid notices without a delivery-status part (chasquid before its RFC 3464 reports).

chasquid 1.11 writes a multipart/report that the RFC 3464 reader reads;
earlier chasquids sent the same notice as plain text, which a relay may also
leave once the report part is dropped: after "Technical details", one
paragraph per recipient, '- "addr" (EMAIL) failed permanently with error:'
(or "failed with error:", or "failed repeatedly and timed out, last error:")
and, indented below it, the error: the server's reply behind chasquid's
stage words ("MAIL+RCPT 550 5.1.1 ...") or chasquid's own ("all MXs returned
transient failures (last: ...)", its words for what it retried until it gave
up, a temporary failure as its reports say with 4.0.0). Its Message-ID
("<chasquid-dsn-...>") is chasquid's alone: the header test.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

CHASQUID = LayoutFormat(
    name="chasquid",
    header_values=(("message-id", rx(r"^\s*<chasquid-dsn-")),),
    layout=TextLayout(
        start=rx(r"^-*\s*technical details\s*:?\s*-*\s*$"),
        recipient=rx(r'^- "([^"\s]+@[^"\s]+)" \(\w+\) failed\b.*$'),
        temporary=rx(r"\ball MXs returned transient failures\b"),
        line_lead=False,
    ),
)
