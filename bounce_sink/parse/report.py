"""The parser's output: what a returned message says, before any judgement.

`Report` is the boundary between reading (parse/) and deciding (classify/).
Parsers fill in what the message states; they never decide hard or soft. A
format module that knows its MTA's own wording may leave a `reason_hint`
(e.g. qmail's "no mailbox here by that name"), which classification treats as
evidence, not as the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ReportKind = Literal["dsn", "arf", "autoreply", "unknown"]


@dataclass
class RecipientStatus:
    """One recipient's fate as the reporting MTA told it."""

    address: str
    action: str = ""  # failed | delayed | delivered | relayed | expanded | ""
    status: str = ""  # RFC 3463 enhanced status, "5.1.1", or ""
    reply_code: str = ""  # SMTP basic reply code, "550", or ""
    diagnostic: str = ""  # exact text the remote server returned, unfolded
    remote_mta: str = ""  # host that answered, as given (no "dns;" prefix)
    original_recipient: str = ""  # RFC 3461 ORCPT / Original-Recipient, bare address
    final_recipient: str = ""  # Final-Recipient, bare address
    smtp_command: str = ""  # RCPT, DATA, MAIL, ... the command that failed, if known
    last_attempt: str = ""  # Last-Attempt-Date as given
    heuristic: bool = False  # found only by a fallback guesser: never hard
    reason_hint: str = ""  # a format module's own reading of its MTA's wording
    new_address: str = ""  # has_moved: the address the server points to
    hint_source: str = ""  # format module that left reason_hint, when not Report.format


@dataclass
class Report:
    """Everything parse/ read out of one message."""

    kind: ReportKind = "unknown"
    format: str = ""  # name of the format module that read it ("rfc3464", "qmail", ...)
    recipients: list[RecipientStatus] = field(default_factory=list)
    reporting_mta: str = ""
    received_from_mta: str = ""
    arrival_date: datetime | None = None  # Arrival-Date, else the Date header
    envelope_id: str = ""  # RFC 3461 ENVID (Original-Envelope-Id)
    subject: str = ""
    from_address: str = ""
    to_addresses: list[str] = field(default_factory=list)
    message_id: str = ""  # of the bounce itself
    original_message_id: str = ""  # of the returned original
    original_headers: dict[str, str] = field(default_factory=dict)  # of the returned original
    feedback_type: str = ""  # ARF Feedback-Type (abuse, fraud, ...)
    error: str = ""  # why parsing failed; non-empty means "unparsed"

    @property
    def is_bounce(self) -> bool:
        """A bounce reports at least one recipient whose delivery failed."""
        return self.kind == "dsn" and any(r.action == "failed" for r in self.recipients)
