"""What makes a 250 safe to send: WAL + synchronous=FULL, and the raw bytes kept as promised."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.store.messages import Envelope, pending_message_ids, save_raw, store_message
from bounce_sink.store.models import Message

ENVELOPE = Envelope(
    source="smtp", mail_from="<>", rcpt_tos=("bounces@localhost",), peer="192.0.2.1:25"
)


async def test_sqlite_connections_are_wal_and_full_sync(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA synchronous"))).scalar() == 2  # FULL
        busy_timeout = (await session.execute(text("PRAGMA busy_timeout"))).scalar()
        assert busy_timeout is not None and busy_timeout > 0


async def test_store_limit_truncates_but_hash_and_size_are_of_the_whole(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    raw = b"Subject: big\r\n\r\n" + b"x" * 5000
    async with sessionmaker() as session:
        message = save_raw(session, raw, ENVELOPE, store_limit=1000)
        await session.commit()
        assert message.raw == raw[:1000]
        assert message.raw_truncated is True
        assert message.size == len(raw)
        assert message.sha256 == hashlib.sha256(raw).hexdigest()
        assert message.state == "pending"
        assert message.peer == "192.0.2.1:25"


async def test_at_or_under_the_limit_nothing_is_cut(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    raw = b"Subject: small\r\n\r\nbody\r\n"
    message_id = await store_message(sessionmaker, raw, ENVELOPE, store_limit=len(raw))
    async with sessionmaker() as session:
        message = await session.get(Message, message_id)
        assert message is not None
        assert (message.raw, message.raw_truncated) == (raw, False)
        assert await pending_message_ids(session) == [message_id]
