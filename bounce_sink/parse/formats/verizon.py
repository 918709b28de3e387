"""Verizon Wireless (vtext.com / vzwpix.com) SMS-gateway bounces.

The gateway answers with Apache James's notice text: "Error message
below:" with the remote answer, then "Message details:" with the envelope
("RCPT TO: addr"), so the James reader does the work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.formats.apache_james import read_james_notice
from bounce_sink.parse.formats.dispatch import HeaderGate, Searched
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

_FROM = LazyPattern(
    r"@(?:[\w-]+\.)?(?:vtext\.com|vzwpix\.com|verizon\.net|verizonwireless\.com)", re.I
)


class Verizon:
    name = "verizon"
    gate = HeaderGate((Searched("from", _FROM),))

    def matches(self, headers: Mapping[str, str]) -> bool:
        return _FROM.search(headers.get("from", "")) is not None

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        return read_james_notice(view) or None
