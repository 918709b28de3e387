"""Concurrent intake sessions share commits, and each still learns its own message id."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.store.messages import Envelope, GroupCommitWriter
from bounce_sink.store.models import Message


def _envelope(i: int) -> Envelope:
    return Envelope(source="smtp", rcpt_tos=(f"bounces+{i}@localhost",))


async def test_concurrent_messages_share_commits(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    writer = GroupCommitWriter(sessionmaker, store_limit=1 << 20)
    ids = await asyncio.gather(
        *(writer.store(f"Subject: {i}\r\n\r\n".encode(), _envelope(i)) for i in range(40))
    )
    assert len(set(ids)) == 40
    assert writer.commits < 10  # 40 messages, far fewer fsyncs
    async with sessionmaker() as session:
        rows = (await session.execute(select(Message.id, Message.raw))).all()
    by_id = dict(rows)
    for i, message_id in enumerate(ids):
        assert by_id[message_id] == f"Subject: {i}\r\n\r\n".encode()  # each got its own id


async def test_store_failure_reaches_every_waiting_sender(
    sessionmaker: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    with sqlite3.connect(Path(db_url.removeprefix("sqlite+aiosqlite:///"))) as conn:
        conn.execute("ALTER TABLE messages RENAME TO messages_away")
    writer = GroupCommitWriter(sessionmaker, store_limit=1 << 20)
    results = await asyncio.gather(
        *(writer.store(b"Subject: x\r\n\r\n", _envelope(i)) for i in range(5)),
        return_exceptions=True,
    )
    assert all(isinstance(r, Exception) for r in results)
    with pytest.raises(Exception, match="messages"):
        await writer.store(b"Subject: y\r\n\r\n", _envelope(9))
