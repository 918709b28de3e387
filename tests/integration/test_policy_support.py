"""Shared parts of the policy tests: a real SMTP intake on loopback, a DSN builder, store readers.

Messages are built from the complete Postfix DSNs under fixtures/policy/ by
substituting the recipient, dates, Message-ID, status and diagnostic, and the
return path, so every test sends what a real Postfix would send.
"""

from __future__ import annotations

import asyncio
import itertools
import smtplib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.processing import Processor
from bounce_sink.smtp import bound_port, start_smtp_server
from bounce_sink.store.models import (
    AuditEntry,
    Contact,
    Incident,
    Interaction,
    Message,
    OutboxEvent,
    Person,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "policy"
MAILBOX_FULL = (FIXTURES / "postfix-mailbox-full-552-5.2.2-verp.eml").read_text()
DELIVERED = (FIXTURES / "postfix-success-delivered-2.0.0.eml").read_text()
ARF_ABUSE = (FIXTURES / "arf-abuse-complaint.eml").read_text()

FIXTURE_RCPT = "full.person@example.com"
FIXTURE_RETURN_PATH = "bounces+newsletter-2026-11@localhost"
PLAIN_RETURN_PATH = "bounces@localhost"

# (status, diagnostic) of the kinds of failure the rules are about.
USER_UNKNOWN = (
    "5.1.1",
    "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
)
MAILBOX_FULL_SOFT = ("5.2.2", "552 5.2.2 <{rcpt}>: Mailbox has exceeded the limit")
BLOCKED_SENDER_SIDE = (
    "5.7.1",
    "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org",
)

_serial = itertools.count(1)


def _unique_id(prefix: str) -> str:
    return f"<{prefix}.{next(_serial)}.{datetime.now(UTC).timestamp():.6f}@mail.example.org>"


def build_dsn(
    recipient: str,
    *,
    day: datetime,
    failure: tuple[str, str] = MAILBOX_FULL_SOFT,
    return_path: str = PLAIN_RETURN_PATH,
    mailing_id: str = "newsletter-2026-11",
    final_recipient: str | None = None,
    message_id: str | None = None,
) -> bytes:
    """A Postfix failure DSN for `recipient` dated `day` (Date and Arrival-Date)."""
    status, diagnostic = failure
    text = diagnostic.format(rcpt=recipient)
    raw = MAILBOX_FULL
    raw = raw.replace(
        "<full.person@example.com>: host mx.example.com[192.0.2.25]:25 said: 552\n"
        "    5.2.2 <full.person@example.com>: Mailbox has exceeded the limit (in reply\n"
        "    to RCPT TO command)",
        f"<{FIXTURE_RCPT}>: host mx.example.com[192.0.2.25]:25 said: {text} (in reply to RCPT TO command)",
    )
    raw = raw.replace(
        "Diagnostic-Code: smtp; 552 5.2.2 <full.person@example.com>: Mailbox has\n    exceeded the limit",
        f"Diagnostic-Code: smtp; {text}",
    )
    raw = raw.replace("Status: 5.2.2", f"Status: {status}")
    if final_recipient is not None:
        raw = raw.replace(
            f"Final-Recipient: rfc822; {FIXTURE_RCPT}",
            f"Final-Recipient: rfc822; {final_recipient}",
        )
    return _common(
        raw, recipient, day, return_path, mailing_id, message_id, "Tue, 10 Nov 2026 09:15:0"
    )


def build_delivered(
    recipient: str, *, day: datetime, return_path: str = PLAIN_RETURN_PATH
) -> bytes:
    """A Postfix success DSN (Action: delivered) for `recipient` dated `day`."""
    return _common(
        DELIVERED,
        recipient,
        day,
        return_path,
        "newsletter-2026-11",
        None,
        "Wed, 11 Nov 2026 10:20:0",
    )


def build_arf(
    recipient: str,
    *,
    day: datetime,
    feedback_type: str = "abuse",
    return_path: str = PLAIN_RETURN_PATH,
) -> bytes:
    """An ARF (RFC 5965) complaint about mail to `recipient`."""
    raw = ARF_ABUSE.replace("Feedback-Type: abuse", f"Feedback-Type: {feedback_type}")
    return _common(
        raw, recipient, day, return_path, "newsletter-2026-11", None, "Thu, 12 Nov 2026 08:0"
    )


def _common(
    raw: str,
    recipient: str,
    day: datetime,
    return_path: str,
    mailing_id: str,
    message_id: str | None,
    date_prefix: str,
) -> bytes:
    stamp = format_datetime(day.astimezone(UTC))
    lines = []
    for line in raw.splitlines():
        if date_prefix in line and (line.startswith(("Date:", "Arrival-Date:"))):
            key = line.split(":", 1)[0]
            line = f"{key}: {stamp}"
        lines.append(line)
    raw = "\n".join(lines) + "\n"
    raw = raw.replace(FIXTURE_RCPT, recipient)
    raw = raw.replace(FIXTURE_RETURN_PATH, return_path)
    raw = raw.replace("X-Mailing-Id: newsletter-2026-11", f"X-Mailing-Id: {mailing_id}")
    for old in (
        "<20261110091502.4QxT2m0Hk7z9@mail.example.org>",
        "<20261111102005.4QyB7c2Lm1z3@mail.example.org>",
        "<fbl-20261112080112.77@fbl.example.net>",
    ):
        raw = raw.replace(old, message_id or _unique_id("dsn"))
    return raw.replace("\n", "\r\n").encode("utf-8")


def day(n: int, hour: int = 9) -> datetime:
    """Day `n` of a test calendar (1 = 2026-10-01), in UTC."""
    return datetime(2026, 10, 1, hour, tzinfo=UTC) + timedelta(days=n - 1)


@dataclass
class Sink:
    """A running intake (SMTP on loopback) with processing, over a real SQLite store."""

    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    processor: Processor
    port: int

    async def send(self, raw: bytes, rcpt: str = PLAIN_RETURN_PATH) -> None:
        """Deliver one message over SMTP (null sender, as bounces are) and wait for processing."""

        def deliver() -> None:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
                client.ehlo("mail.example.org")
                refused = client.sendmail("", [rcpt], raw)
                assert refused == {}

        await asyncio.to_thread(deliver)
        await self.processor.drain()

    async def contact(self, address: str) -> Contact | None:
        async with self.sessionmaker() as session:
            return (
                await session.execute(select(Contact).where(Contact.address == address))
            ).scalar_one_or_none()

    async def person(self, contact: Contact) -> Person:
        async with self.sessionmaker() as session:
            person = await session.get(Person, contact.person_id)
            assert person is not None
            return person

    async def interactions(self, address: str | None = None) -> list[Interaction]:
        query = select(Interaction).order_by(Interaction.id)
        if address is not None:
            query = query.where(Interaction.address == address)
        async with self.sessionmaker() as session:
            return list((await session.execute(query)).scalars())

    async def messages(self) -> list[Message]:
        async with self.sessionmaker() as session:
            return list((await session.execute(select(Message).order_by(Message.id))).scalars())

    async def outbox(self, type_: str | None = None) -> list[OutboxEvent]:
        query = select(OutboxEvent).order_by(OutboxEvent.id)
        if type_ is not None:
            query = query.where(OutboxEvent.type == type_)
        async with self.sessionmaker() as session:
            return list((await session.execute(query)).scalars())

    async def audit(self) -> list[AuditEntry]:
        async with self.sessionmaker() as session:
            return list(
                (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
            )

    async def incidents(self) -> list[Incident]:
        async with self.sessionmaker() as session:
            return list((await session.execute(select(Incident).order_by(Incident.id))).scalars())


@pytest.fixture
async def sink(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Sink]:
    """SMTP intake on 127.0.0.1 (any free port), every stored message processed at once."""
    settings.bounce_domains = ["localhost"]
    processor = Processor(settings, sessionmaker)
    server = await start_smtp_server(
        settings, sessionmaker, on_stored=processor.submit, host="127.0.0.1", port=0
    )
    try:
        yield Sink(settings, sessionmaker, processor, bound_port(server))
    finally:
        server.close()
        await server.wait_closed()
        await processor.drain()
