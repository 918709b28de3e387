"""The catch-all for prose bounces no specific format claimed.

It runs last in the registry and only on messages whose headers say
"bounce" (a daemon sender or a failure subject), so ordinary mail that
happens to mention an address is never read as a failure report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.formats.text_bounce import read_text_bounce
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

_DAEMON_FROM = re.compile(r"mailer-daemon|postmaster|mail delivery|mail-daemon|mailerdaemon", re.I)
_FAILURE_SUBJECT = re.compile(
    r"undeliver|returned mail|delivery (?:status|failure|notification|has failed|problem)|"
    r"failure notice|mail delivery|could not be delivered|non[- ]?delivery|not delivered|"
    r"delivery failed|failed delivery|mail system error|bounce|nicht zustellbar|"
    r"unzustellbar|error sending message|message rejected|rejected",
    re.IGNORECASE,
)


class GenericTextBounce:
    name = "generic"

    def matches(self, headers: Mapping[str, str]) -> bool:
        return bool(
            _DAEMON_FROM.search(headers.get("from", ""))
            or _FAILURE_SUBJECT.search(headers.get("subject", ""))
            or headers.get("x-failed-recipients")
        )

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        return read_text_bounce(view) or None
