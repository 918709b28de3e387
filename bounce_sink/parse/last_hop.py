"""The failed recipient as the returned original's last Received line names it.

Some notices name no address at all ("One or more of the recipients are not
a valid user of the system") but return the original, whose topmost
Received line was written by the server that refused it and names the
envelope recipient it was handling ("... with ESMTP id X for <a@b>; date").
That is the last resort after every reader and flufl.bounce found nothing:
the recipient is marked heuristic, so it never counts as a hard bounce.
"""

from __future__ import annotations

import re

from bounce_sink.parse.addresses import find_addresses
from bounce_sink.parse.formats.text_bounce import says_delayed
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

# "for <a@b>" or "for a@b", up to the ";" before the date.
_FOR = re.compile(r"\bfor\s+<?([^\s<>;]+@[^\s<>;]+)>?", re.IGNORECASE)


def last_hop_recipient(view: MessageView, notice: str) -> list[RecipientStatus]:
    """`notice`: the notice's own words (`text_bounce.notice_text`), the recipient's text."""
    received = view.original_fields.get("received", "")
    m = _FOR.search(received)
    if m is None:
        return []
    found = find_addresses(m.group(1))
    if len(found) != 1:
        return []
    delayed = says_delayed(notice) or says_delayed(view.subject)
    return [
        RecipientStatus(
            address=found[0],
            action="delayed" if delayed else "failed",
            diagnostic=notice,
            heuristic=True,
        )
    ]
