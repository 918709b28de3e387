"""The bulk message every MTA lab sends, and the addresses it is sent from.

Every lab sends the same newsletter, so that their fixtures differ only in
what each MTA writes back: the returned original, its Message-ID and its
envelope are the same from every lab.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

RETURN_PATH = "bounces@bounces.example.org"  # the envelope sender: where the bounces go
SENDER = "news@example.org"  # the From: of the newsletter


def message_id(recipient: str) -> str:
    """The Message-ID of the copy sent to `recipient` (without <>): made from its
    local part, so each bounce can be told apart by the original it returns."""
    return f"november-2026.{recipient.split('@', 1)[0]}@example.org"


def newsletter(recipient: str, others: Sequence[str] = ()) -> EmailMessage:
    """What a newsletter tool would hand its MTA for `recipient` (and `others`, in To:)."""
    local = recipient.split("@", 1)[0]
    msg = EmailMessage()
    msg["From"] = f"Example News <{SENDER}>"
    msg["To"] = ", ".join([recipient, *others])
    msg["Subject"] = "Example News: the November issue"
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = f"<{message_id(recipient)}>"
    msg["List-Unsubscribe"] = f"<mailto:unsubscribe@example.org?subject={local}>"
    msg.set_content("Hello,\n\nthis is the November issue of Example News.\n")
    return msg
