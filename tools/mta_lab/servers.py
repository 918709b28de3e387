"""Loopback SMTP/LMTP servers that stand in for the Internet around a lab's private MTA.

``ScriptedReceiver`` plays the recipients' mail servers: it answers RCPT with
a fixed reply per address (the texts of the product documentation), so
the MTA meets exactly the refusals the fixtures are about.  ``MessageCapture``
plays a mailbox: it accepts everything and keeps each message as received,
with the envelope, so the fixture maker can write the DSNs the MTA sent.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP

ACCEPTED = "250 2.1.5 Ok"
QUEUED = "250 2.0.0 Ok: queued"


@dataclass(frozen=True)
class CapturedMessage:
    """One message as a server received it: envelope plus the exact DATA bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    def as_delivered(self) -> bytes:
        """The message as a final delivery agent stores it: a Return-Path line, LF line ends.

        RFC 5321 section 4.4 has the delivering server record the envelope
        sender in Return-Path; a mailbox file keeps LF, not the wire's CRLF.
        """
        body = self.data.replace(b"\r\n", b"\n")
        return b"Return-Path: <" + self.mail_from.encode() + b">\n" + body


def _capture(envelope: Any) -> CapturedMessage:
    # aiosmtpd reports the null reverse-path of a DSN as the literal "<>".
    sender = "" if envelope.mail_from in ("<>", None) else str(envelope.mail_from)
    return CapturedMessage(sender, tuple(envelope.rcpt_tos), bytes(envelope.content))


class ScriptedCase(Protocol):
    """What a lab's case tells the scripted receiver: whom it refuses, and how."""

    @property
    def recipient(self) -> str: ...

    @property
    def reply(self) -> str | None: ...

    @property
    def data_reply(self) -> str | None: ...

    @property
    def others(self) -> tuple[tuple[str, str | None], ...]: ...


ScriptedCaseT = TypeVar("ScriptedCaseT", bound=ScriptedCase)


class ScriptedReceiver:
    """aiosmtpd handler that refuses or accepts each recipient with a scripted reply.

    ``data_replies`` refuse a whole transaction at the end of DATA (as content
    filters do) when it includes one of their recipients.
    """

    def __init__(
        self,
        replies: Mapping[str, str],
        default: str = ACCEPTED,
        data_replies: Mapping[str, str] | None = None,
    ) -> None:
        self.replies = {address.lower(): reply for address, reply in replies.items()}
        self.default = default
        self.data_replies = {a.lower(): reply for a, reply in (data_replies or {}).items()}
        self.attempts: list[str] = []
        self.delivered: list[CapturedMessage] = []

    @classmethod
    def for_cases(
        cls,
        cases: Iterable[ScriptedCaseT],
        address: Callable[[ScriptedCaseT], str] | None = None,
    ) -> ScriptedReceiver:
        """The receiver a lab's cases script: each case's RCPT reply for its recipient
        (``address``: as the MTA relays it, where that differs) and for its other
        recipients, and its reply to the end of DATA."""
        cases = list(cases)
        named = address or (lambda case: case.recipient)
        replies = {named(c): c.reply for c in cases if c.reply}
        replies.update((to, reply) for c in cases for to, reply in c.others if reply)
        data_replies = {named(c): c.data_reply for c in cases if c.data_reply}
        return cls(replies, data_replies=data_replies)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        self.attempts.append(address)
        reply = self.replies.get(address.lower(), self.default)
        if reply.startswith("2"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            refusal = self.data_replies.get(address.lower())
            if refusal is not None:
                return refusal
        self.delivered.append(_capture(envelope))
        return QUEUED


class ClosedPort:
    """A loopback port where nothing listens: connections to it are refused, as a down host's are.

    The socket is bound but never listens, so no other server can be handed
    the port while the lab runs; ``close()`` gives it back.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((host, 0))
        self.port: int = self._sock.getsockname()[1]

    def close(self) -> None:
        self._sock.close()


@dataclass
class MessageCapture:
    """aiosmtpd handler that accepts every recipient and keeps every message."""

    messages: list[CapturedMessage] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = _capture(envelope)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return QUEUED

    def wait_for(self, count: int, timeout: float) -> list[CapturedMessage]:
        """Block until at least ``count`` messages arrived; return what arrived either way."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return list(self.messages)


class _LMTPController(Controller):
    """aiosmtpd's threaded controller speaking LMTP (LHLO) instead of SMTP."""

    def factory(self) -> SMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def start_smtp(handler: object, port: int, server_hostname: str) -> Controller:
    """A threaded SMTP server on 127.0.0.1:port; call ``stop()`` on the result."""
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, server_hostname=server_hostname
    )
    controller.start()
    return controller


def start_lmtp(handler: object, port: int, server_hostname: str) -> Controller:
    """A threaded LMTP server on 127.0.0.1:port; call ``stop()`` on the result."""
    controller = _LMTPController(
        handler, hostname="127.0.0.1", port=port, server_hostname=server_hostname
    )
    controller.start()
    return controller
