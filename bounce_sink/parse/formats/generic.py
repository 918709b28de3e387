"""The catch-all for prose bounces no specific format claimed.

It runs last in the registry and only on messages whose headers say
"bounce" (a daemon sender, X-Failed-Recipients, or a failure subject). A
failure subject alone is weak evidence (people write "Re: your message was
rejected"), so such a message counts as a bounce only when the text gives
every recipient an SMTP code or status: ordinary mail that happens to name
an address is never read as a failure report. A recipient whose text
carries no SMTP code at all is marked heuristic (never hard).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.text_bounce import read_text_bounce
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.smtp_codes import find_status

_DAEMON_FROM = LazyPattern(
    r"mailer-daemon|postmaster|post_master|mail delivery|mail-daemon|mailerdaemon|"
    r"mail\.delivery|delivery[ -]subsystem|<>|\bmdaemon@",
    re.I,
)
_FAILURE_SUBJECT = LazyPattern(
    r"undeliver|returned mail|delivery (?:status|failure|notification|has failed|problem)|"
    r"failure notice|mail delivery|could not be delivered|non[- ]?delivery|not delivered|"
    r"delivery failed|failed delivery|mail system error|bounce|nicht zustellbar|"
    r"unzustellbar|non remis|onbestelbaar|no se puede entregar|"
    r"error sending message|message rejected|rejected",
    re.IGNORECASE,
)
_EVIDENCE = LazyPattern(r"(?<!\d)[245]\d\d(?!\d)|(?<![\d.])[245]\.\d{1,3}\.\d{1,3}")


class GenericTextBounce:
    name = "generic"

    def matches(self, headers: Mapping[str, str]) -> bool:
        return bool(
            _DAEMON_FROM.found_in(headers.get("from", ""))
            or _FAILURE_SUBJECT.found_in(headers.get("subject", ""))
            or headers.get("x-failed-recipients")
            or _is_report(headers.get("content-type", ""))
        )

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        found = read_text_bounce(view)
        if not found:
            return None
        # A delivery report's container (multipart/report) vouches as a
        # daemon sender does, even when its status part names nobody (a
        # scanner that kept only "Reporting-MTA:" and "Message removed").
        from_daemon = (
            _DAEMON_FROM.found_in(view.from_)
            or bool(view.header("x-failed-recipients"))
            or _is_report(view.header("content-type"))
        )
        if not from_daemon and not all(
            r.reply_code or _EVIDENCE.search(r.diagnostic) for r in found
        ):
            return None
        for r in found:
            # No format module vouches for this layout: when the text holds no
            # code of the remote server either, the failure class was guessed,
            # and a guess never unsubscribes anyone.
            if not r.reply_code and not find_status(r.diagnostic):
                r.heuristic = True
        return found


def _is_report(content_type: str) -> bool:
    """A multipart/report container (RFC 6522): what DSNs are sent in."""
    return "multipart/report" in content_type.lower()
