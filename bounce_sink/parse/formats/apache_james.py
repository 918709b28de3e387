"""Apache James notices (also the text of Verizon's SMS gateway bounces).

James's AbstractNotify mailet writes "Error message below:" followed by the
remote answer, then "Message details:" with the envelope, one
"  RCPT TO: addr" line per recipient. Its Subject is "[BOUNCE]" and its
Message-IDs contain ".JavaMail.".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.formats.dispatch import Contains, HeaderGate
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.text_bounce import recipient_from_text
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

_RCPT = LazyPattern(r"^\s*RCPT TO:\s*<?([^\s>]+@[^\s>]+)>?", re.I | re.M)
_ERROR = LazyPattern(
    r"Error message below:\s*\n(.*?)(?:\n\s*\n|\nMessage details:|\Z)", re.I | re.S
)
_SUMMARY = LazyPattern(r"^\s*Error:\s*(.+)$", re.I | re.M)
_USER_UNKNOWN = LazyPattern(r"invalid user address|no such user", re.I)


def read_james_notice(view: MessageView) -> list[RecipientStatus]:
    text = view.body_text
    rcpts = [m.group(1) for m in _RCPT.finditer(text)]
    if not rcpts:
        return []
    m = _ERROR.search(text)
    s = _SUMMARY.search(text)
    explanation = " ".join(m.group(1).split()) if m else ""
    explanation = explanation or (s.group(1).strip() if s else "")
    out = []
    for addr in dict.fromkeys(rcpts):
        r = recipient_from_text(addr, explanation)
        if s and _USER_UNKNOWN.search(s.group(1)):
            r.reason_hint = "user_unknown"
        out.append(r)
    return out


class ApacheJames:
    name = "apachejames"
    gate = HeaderGate(
        (
            Contains("subject", "[BOUNCE]"),
            Contains("message-id", ".JavaMail."),
            Contains("received", "JAMES SMTP Server"),
        )
    )

    def matches(self, headers: Mapping[str, str]) -> bool:
        return (
            headers.get("subject", "") == "[BOUNCE]"
            or ".JavaMail." in headers.get("message-id", "")
            or "JAMES SMTP Server" in headers.get("received", "")
        )

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        return read_james_notice(view) or None
