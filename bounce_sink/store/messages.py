"""Raw messages as received: the one write intake makes before it answers 250.

Group commit (several messages per transaction, one fsync) is the planned
speed-up for bursts; until then each message is its own transaction so a 250
always means "on disk".
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.store.models import Message

SOURCES = ("smtp", "lmtp", "ingest", "import")


@dataclass(frozen=True)
class Envelope:
    """What the sending MTA told us besides the bytes: who, from where, when."""

    source: str
    mail_from: str = ""
    rcpt_tos: Sequence[str] = field(default_factory=tuple)
    peer: str = ""
    helo: str = ""
    received_at: datetime | None = None


def save_raw(session: AsyncSession, raw: bytes, envelope: Envelope, *, store_limit: int) -> Message:
    """Add a pending message to the session; the caller commits.

    The sha256 and size are of the bytes as received, so a truncated copy can
    still be matched to the original. Past `store_limit` only the first bytes
    are kept: the DSN parts come first in a multipart/report, the returned
    original (often with large attachments) last.
    """
    if envelope.source not in SOURCES:
        raise ValueError(f"unknown message source {envelope.source!r}")
    truncated = 0 < store_limit < len(raw)
    message = Message(
        received_at=envelope.received_at or datetime.now(UTC),
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        raw=raw[:store_limit] if truncated else raw,
        raw_truncated=truncated,
        source=envelope.source,
        peer=envelope.peer[:255],
        helo=envelope.helo[:255],
        mail_from=envelope.mail_from[:512],
        rcpt_tos=list(envelope.rcpt_tos),
        state="pending",
        error="",
    )
    session.add(message)
    return message


async def store_message(
    sessionmaker: async_sessionmaker[AsyncSession],
    raw: bytes,
    envelope: Envelope,
    *,
    store_limit: int,
) -> int:
    """Commit one message in its own transaction and return its id (durable on return)."""
    async with sessionmaker() as session:
        message = save_raw(session, raw, envelope, store_limit=store_limit)
        await session.commit()
        return message.id


async def pending_message_ids(session: AsyncSession, limit: int = 500) -> list[int]:
    """Oldest first, so a backlog is worked off in arrival order."""
    result = await session.execute(
        select(Message.id).where(Message.state == "pending").order_by(Message.id).limit(limit)
    )
    return list(result.scalars())
