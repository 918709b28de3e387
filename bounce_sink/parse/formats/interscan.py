"""Trend Micro InterScan Messaging Security Suite notices.

Two shapes. The session shape quotes the exchange with the next hop, one
line per step, the arrow before the command or the reply::

    Sent <<< RCPT TO:<a@example.com>
    Received >>> 550 5.1.1 <a@example.com>... user unknown

(localised notices put the arrows the other way round, so what follows the
arrow, a command or a reply code, is what counts). The short shape is one
line, "Unable to deliver message to <addr> (and other recipients in the same
domain).", which is then the whole explanation.

The short notice carries no reply from the next hop; InterScan's own
verdict is the sentence after it. "Please check if address is correct" is
the product telling the sender that the address itself failed, so it is
passed on as ``user_unknown`` (Sisimai reads these notices the same way); a
notice without that sentence gets no reason guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.addresses import clean_address
from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.text_bounce import GENERIC, TextLayout, failure_text
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.smtp_codes import find_reply_code, find_status

_LINES = LayoutFormat(
    name="interscanmss",
    from_=rx(r"interscan|postmaster@"),
    subject=rx(r"^mail could not be delivered|^unable to deliver mail"),
    require_all=True,
    layout=TextLayout(
        recipient=rx(r"unable to deliver (?:the )?message to\s+(<[^>\s]+@[^>\s]+>)"),
        whole_line=True,
    ),
    hints=((rx(r"please check if (?:the )?(?:e-?mail )?address is correct"), "user_unknown"),),
)

_STEP = LazyPattern(r"(?:<<<|>>>)[ \t]*(.+)$")
_COMMAND = LazyPattern(r"(RCPT TO|MAIL FROM|DATA|EHLO|HELO)\b:?\s*(?:<([^>\s]+@[^>\s]+)>)?", re.I)
_REPLY = LazyPattern(r"[245]\d\d[ -]")


class InterScan:
    name = "interscanmss"
    gate = _LINES.gate

    def matches(self, headers: Mapping[str, str]) -> bool:
        return _LINES.matches(headers)

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        found = _session_steps(failure_text(view, GENERIC))
        return found or _LINES.parse(view)


def _session_steps(text: str) -> list[RecipientStatus]:
    """One recipient per RCPT TO quoted, with the reply that followed it."""
    out: list[RecipientStatus] = []
    current: RecipientStatus | None = None
    command = ""
    for line in text.splitlines():
        step = _STEP.search(line)
        if not step:
            continue
        said = step.group(1).strip()
        cmd = _COMMAND.match(said)
        if cmd:
            command = cmd.group(1).split()[0].upper()
            if command == "RCPT" and cmd.group(2):
                current = RecipientStatus(address=clean_address(cmd.group(2)), action="failed")
                out.append(current)
            continue
        if _REPLY.match(said) and current is not None and not current.diagnostic:
            current.diagnostic = said
            current.reply_code = find_reply_code(said)
            current.status = find_status(said) or f"{said[0]}.0.0"
            current.smtp_command = command
    return [r for r in out if r.diagnostic]


INTERSCAN = InterScan()
