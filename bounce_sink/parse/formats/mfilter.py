"""m-FILTER (Digital Arts) notices.

The address stands alone on a line, then "-------server message" and the
remote answer, then "-------SMTP command" and the command; the header lines
are m-FILTER's boilerplate, not the answer.
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

MFILTER = LayoutFormat(
    name="mfilter",
    header_values=(("x-mailer", rx(r"m-FILTER")),),
    layout=TextLayout(
        recipient=rx(r"^(\S+@\S+)[ \t]*\n(?:[ \t]*\n)*-+server message"),
        end=rx(r"^-+original message"),
        strip_lines=(rx(r"^-+\s*(?:server message|SMTP command)\s*$"),),
    ),
    # m-FILTER pipelines: it names DATA for refusals of RCPT too (a "User
    # unknown in local recipient table" under "DATA"), so DATA is not taken.
    command_section=rx(r"^-+\s*SMTP command\s*\n\s*(RCPT|MAIL|HELO|EHLO)\b"),
)
