"""The parser's output: what a returned message says, before any judgement.

`Report` is the boundary between reading (parse/) and deciding (classify/).
Parsers fill in what the message states; they never decide hard or soft. A
format module that knows its MTA's own wording may leave a `reason_hint`
(e.g. qmail's "no mailbox here by that name"), which classification treats as
evidence, not as the answer.

Both records are plain classes that behave as the dataclasses they were (the
same constructor parameters and defaults, `==` field by field, the same
repr, unhashable, fields in `vars()` in their order): importing
`dataclasses` pulls in `inspect` (and with it `ast`, `dis`, `tokenize`),
~10 ms at every start of `bounce-sink parse`, and defining a dataclass costs
~0.5-1 ms more. tests/unit/parse/test_parse_report_records.py holds them to
the dataclass definitions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

ReportKind = Literal["dsn", "arf", "autoreply", "unknown"]


class _Record:
    """`==` and repr over `_fields`, as a dataclass defines them (and no hash)."""

    _fields: ClassVar[tuple[str, ...]] = ()
    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value: unhashable

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __repr__(self) -> str:
        shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in self._fields])
        return f"{self.__class__.__qualname__}({shown})"


class RecipientStatus(_Record):
    """One recipient's fate as the reporting MTA told it."""

    _fields = (
        "address",
        "action",
        "status",
        "reply_code",
        "diagnostic",
        "remote_mta",
        "original_recipient",
        "final_recipient",
        "smtp_command",
        "last_attempt",
        "heuristic",
        "reason_hint",
        "new_address",
        "hint_source",
    )

    def __init__(
        self,
        address: str,
        action: str = "",
        status: str = "",
        reply_code: str = "",
        diagnostic: str = "",
        remote_mta: str = "",
        original_recipient: str = "",
        final_recipient: str = "",
        smtp_command: str = "",
        last_attempt: str = "",
        heuristic: bool = False,
        reason_hint: str = "",
        new_address: str = "",
        hint_source: str = "",
    ) -> None:
        self.address = address
        self.action = action  # failed | delayed | delivered | relayed | expanded | ""
        self.status = status  # RFC 3463 enhanced status, "5.1.1", or ""
        self.reply_code = reply_code  # SMTP basic reply code, "550", or ""
        self.diagnostic = diagnostic  # exact text the remote server returned, unfolded
        self.remote_mta = remote_mta  # host that answered, as given (no "dns;" prefix)
        # RFC 3461 ORCPT / Original-Recipient, bare address
        self.original_recipient = original_recipient
        self.final_recipient = final_recipient  # Final-Recipient, bare address
        self.smtp_command = smtp_command  # RCPT, DATA, MAIL, ... the command that failed, if known
        self.last_attempt = last_attempt  # Last-Attempt-Date as given
        self.heuristic = heuristic  # found only by a fallback guesser: never hard
        self.reason_hint = reason_hint  # a format module's own reading of its MTA's wording
        self.new_address = new_address  # has_moved: the address the server points to
        # the format module that left reason_hint, when not Report.format
        self.hint_source = hint_source


class Report(_Record):
    """Everything parse/ read out of one message."""

    _fields = (
        "kind",
        "format",
        "recipients",
        "reporting_mta",
        "received_from_mta",
        "arrival_date",
        "envelope_id",
        "subject",
        "from_address",
        "to_addresses",
        "message_id",
        "original_message_id",
        "original_headers",
        "feedback_type",
        "error",
    )

    def __init__(
        self,
        kind: ReportKind = "unknown",
        format: str = "",
        recipients: list[RecipientStatus] | None = None,
        reporting_mta: str = "",
        received_from_mta: str = "",
        arrival_date: datetime | None = None,
        envelope_id: str = "",
        subject: str = "",
        from_address: str = "",
        to_addresses: list[str] | None = None,
        message_id: str = "",
        original_message_id: str = "",
        original_headers: dict[str, str] | None = None,
        feedback_type: str = "",
        error: str = "",
    ) -> None:
        # (A list or dict left out is a new empty one, as a dataclass's
        # default_factory gives.)
        self.kind: ReportKind = kind
        self.format = format  # name of the format module that read it ("rfc3464", "qmail", ...)
        self.recipients: list[RecipientStatus] = [] if recipients is None else recipients
        self.reporting_mta = reporting_mta
        self.received_from_mta = received_from_mta
        self.arrival_date = arrival_date  # Arrival-Date, else the Date header
        self.envelope_id = envelope_id  # RFC 3461 ENVID (Original-Envelope-Id)
        self.subject = subject
        self.from_address = from_address
        self.to_addresses: list[str] = [] if to_addresses is None else to_addresses
        self.message_id = message_id  # of the bounce itself
        self.original_message_id = original_message_id  # of the returned original
        # of the returned original
        self.original_headers: dict[str, str] = {} if original_headers is None else original_headers
        self.feedback_type = feedback_type  # ARF Feedback-Type (abuse, fraud, ...)
        self.error = error  # why parsing failed; non-empty means "unparsed"

    @property
    def is_bounce(self) -> bool:
        """A bounce reports at least one recipient whose delivery failed."""
        return self.kind == "dsn" and any(r.action == "failed" for r in self.recipients)
