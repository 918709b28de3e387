"""MTAs known only by their notices (Sisimai's "X1", "X3", "X6" groups).

- X1 (Mail2000 and similar): "---The following addresses had delivery
  errors---", then "addr [reason]" per line.
- X3: "Delevery to the following recipients was aborted" (sic), "* addr", then
  "Technical details:". "... was aborted after 5.0 hour(s)" is the MTA
  giving up after its queue lifetime, whatever the technical detail says:
  expired, for every recipient listed.
- X6: "SMTP Server <host> rejected recipient <addr> (Error following RCPT
  command). It responded as follows: [550 ...]".
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

X1 = LayoutFormat(
    name="x1",
    subject=rx(r"^returned mail: "),
    from_=rx(r"mail deliver(?:y)? system"),
    require_all=True,
    layout=TextLayout(
        start=rx(r"^-+\s*the following addresses had delivery errors\s*-+"),
        recipient=rx(r"^(\S+@\S+)\s+\["),
        whole_line=True,
    ),
)


X3 = LayoutFormat(
    name="x3",
    subject=rx(r"^delivery status notification$"),
    from_=rx(r"mail\.delivery\.system@|mail delivery system"),
    require_all=True,
    layout=TextLayout(
        recipient=rx(r"^\s*\*\s*(\S+@\S+)\s*$"),
        whole_segment=True,
    ),
    notice_hints=(
        (
            rx(r"recipients? (?:was|were|has been) aborted after [\d.]+ (?:hour|day|minute)"),
            "expired",
        ),
    ),
)


X6 = LayoutFormat(
    name="x6",
    subject=rx(r"^there was an error sending your mail"),
    layout=TextLayout(
        recipient=rx(r"rejected recipient\s+(<[^>\s]+@[^>\s]+>)"),
        whole_line=True,
    ),
)
