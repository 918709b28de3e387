"""A large bounce is hashed off the event loop, and its digest is still of every byte."""

from __future__ import annotations

import asyncio
import hashlib

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.store.messages import (
    HASH_IN_THREAD_FROM,
    Envelope,
    GroupCommitWriter,
    digest,
    store_message,
)
from bounce_sink.store.models import Message

BIG = b"Subject: big\r\n\r\n" + b"x" * (HASH_IN_THREAD_FROM * 32)


async def test_other_sessions_run_while_a_large_message_is_hashed() -> None:
    ticks = 0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    before = ticks
    value = await digest(BIG)
    during = ticks - before
    stop.set()
    await task
    assert value == hashlib.sha256(BIG).hexdigest()
    assert during > 0  # hashed on the loop, the ticker could not have run at all


async def test_small_messages_are_hashed_inline() -> None:
    small = b"Subject: small\r\n\r\nbody\r\n"
    assert await digest(small) == hashlib.sha256(small).hexdigest()


async def test_both_store_paths_keep_the_whole_messages_digest(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    envelope = Envelope(source="smtp", rcpt_tos=("bounces@localhost",))
    writer = GroupCommitWriter(sessionmaker, store_limit=1 << 20)
    ids = [
        await writer.store(BIG, envelope),
        await store_message(sessionmaker, BIG, envelope, store_limit=1 << 20),
    ]
    async with sessionmaker() as session:
        for message_id in ids:
            message = await session.get(Message, message_id)
            assert message is not None
            assert message.sha256 == hashlib.sha256(BIG).hexdigest()
            assert (message.size, message.raw_truncated) == (len(BIG), True)
