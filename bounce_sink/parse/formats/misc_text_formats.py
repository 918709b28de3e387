"""Smaller MTAs and filters with a recognisable text layout of their own.

- m-FILTER (Digital Arts): the address alone on a line, then
  "-------server message" and the remote answer, "-------SMTP command".
- Mail2000 and similar ("X1"): "---The following addresses had delivery
  errors---", then "addr [reason]" per line.
- "X3" gateways: "Delevery to the following recipients was aborted" (sic),
  "* addr", then "Technical details:".
- "X6" relays: "SMTP Server <host> rejected recipient <addr> (Error following
  RCPT command). It responded as follows: [550 ...]".
- MailFoundry: "Unable to deliver message to: <addr>", then "Delivery failed
  for the following reason:" and the remote answer.
- InterScan MSS: "Unable to deliver message to <addr> (and other recipients
  in the same domain)."
- Zoho: "addr Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.1 ..." per
  line; delay notices "[Status: Error, Address: <addr>, ResponseCode 421 ...]".
- Sendmail V5 (no DSN): "----- Transcript of session follows -----" with
  "554 <addr>... reason" lines.
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
)

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
)

X6 = LayoutFormat(
    name="x6",
    subject=rx(r"^there was an error sending your mail"),
    layout=TextLayout(
        recipient=rx(r"rejected recipient\s+(<[^>\s]+@[^>\s]+>)"),
        whole_line=True,
    ),
)

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
