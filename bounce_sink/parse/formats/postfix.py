"""Postfix bounces without a delivery-status part (old versions, `notify_classes`).

Postfix writes one paragraph per recipient that starts with the address in
angle brackets, optionally "(expanded from <alias>)", then a colon and the
remote server's answer ("host mx[ip] said: 550 ..."). Its
"Postfix SMTP server: errors from ..." notices to the postmaster carry a
session transcript instead: the recipient is in the "In: RCPT TO:" line and
the answer in the "Out:" lines that follow.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.formats.dispatch import HeaderGate, Searched
from bounce_sink.parse.formats.layout_format import rx
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.text_bounce import TextLayout, read_text_bounce, recipient_from_text
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

LAYOUT = TextLayout(
    recipient=rx(r"^[ \t]*<([^>\s]+@[^>\s]+)>(?:[ \t]*\(expanded from[^)]*\))?:"),
)
_FROM = rx(r"mailer-daemon|mail delivery system")
_SUBJECT = rx(
    r"undelivered mail returned to sender|delayed mail|postfix smtp server: errors from|"
    r"mail delivery status report"
)
_TRANSCRIPT_RCPT = LazyPattern(r"^\s*In:\s+RCPT TO:\s*<([^>]+)>", re.I | re.M)
_TRANSCRIPT_OUT = LazyPattern(r"^\s*Out:\s+([45]\d\d[ -].*)$", re.M)


class Postfix:
    name = "postfix"
    gate = HeaderGate((Searched("subject", _SUBJECT), Searched("from", _FROM)), require_all=True)

    def matches(self, headers: Mapping[str, str]) -> bool:
        return bool(
            _SUBJECT.found_in(headers.get("subject", ""))
            and _FROM.found_in(headers.get("from", ""))
        )

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        text = view.body_text
        if "Transcript of session follows" in text and _TRANSCRIPT_RCPT.search(text):
            return self._transcript(text) or None
        return read_text_bounce(view, LAYOUT) or None

    def _transcript(self, text: str) -> list[RecipientStatus]:
        rcpts = [m.group(1) for m in _TRANSCRIPT_RCPT.finditer(text)]
        errors = [m.group(1).strip() for m in _TRANSCRIPT_OUT.finditer(text)]
        if not rcpts or not errors:
            return []
        # The last error of the session is the one that ended it.
        return [recipient_from_text(addr, errors[-1]) for addr in dict.fromkeys(rcpts)]


POSTFIX = Postfix()
