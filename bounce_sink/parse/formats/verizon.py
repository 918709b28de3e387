"""Verizon Wireless (vtext.com / vzwpix.com) SMS-gateway bounces.

The message lists "Message details:" with the envelope ("RCPT TO: addr")
and gives the remote answer after "Error message below:".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.formats.layout_format import rx
from bounce_sink.parse.formats.text_bounce import recipient_from_text
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

_FROM = rx(r"@(?:\w+\.)?(?:vtext\.com|vzwpix\.com|verizon\.net|verizonwireless\.com)")
_RCPT = re.compile(r"^\s*RCPT TO:\s*<?([^\s>]+@[^\s>]+)>?", re.I | re.M)
_ERROR = re.compile(r"Error message below:\s*\n\s*(.+)", re.I)
_SUMMARY = re.compile(r"^\s*Error:\s*(.+)$", re.I | re.M)


class Verizon:
    name = "verizon"

    def matches(self, headers: Mapping[str, str]) -> bool:
        return bool(_FROM.search(headers.get("from", "")))

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        text = view.body_text
        rcpts = [m.group(1) for m in _RCPT.finditer(text)]
        if not rcpts:
            return None
        m = _ERROR.search(text)
        s = _SUMMARY.search(text)
        explanation = (m.group(1).strip() if m else "") or (s.group(1).strip() if s else "")
        out = []
        for addr in dict.fromkeys(rcpts):
            r = recipient_from_text(addr, explanation)
            if s and re.search(r"invalid user address|no such user", s.group(1), re.I):
                r.reason_hint = "user_unknown"
            out.append(r)
        return out
