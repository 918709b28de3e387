"""Ipswitch IMail Server.

IMail writes the reason first and the address after it on one line
("User mailbox exceeds allowed size: addr", "Unknown user: addr",
"Delivery failed N attempts: addr"), then "Original message follows.".
"""

from __future__ import annotations

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.text_bounce import TextLayout

IMAIL = LayoutFormat(
    name="imailserver",
    subject=rx(r"^undeliverable mail\b"),
    header_values=(("x-mailer", rx(r"<SMTP32 v")),),
    layout=TextLayout(
        # Not a header-like field ("From: a@b", "Original Sender: <a@b>",
        # "Reporting-MTA: ..."): other notices that share IMail's subject
        # (MailMarshal's 'Undeliverable Mail: "..."') list those.
        recipient=rx(
            r"^(?!\s*(?:from|to|cc|bcc|sender|reply-to|return-path|original sender|[\w-]*-mta)\s*:)"
            r"[^\n:]+:\s*<?([^\s<>]+@[^\s<>]+)>?\s*$"
        ),
        end=rx(r"^original message follows"),
        whole_line=True,
    ),
    hints=(
        (rx(r"user mailbox exceeds allowed size"), "mailbox_full"),
        (rx(r"unknown user|user not found"), "user_unknown"),
        (rx(r"delivery failed \d+ attempts"), "expired"),
        (rx(r"host not found|unknown host"), "host_unknown"),
    ),
)
