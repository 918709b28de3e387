"""Two sink nodes sweeping one PostgreSQL store process each message exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bounce_sink.config import load_settings
from bounce_sink.processing import Processor
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.migrate import upgrade
from bounce_sink.store.models import Interaction, Message

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"


async def test_two_nodes_sweep_without_doing_a_message_twice(postgres_url: str) -> None:
    url = postgres_url
    await upgrade(url)
    settings = load_settings(env={}, database_url=url)
    engines = [make_engine(url), make_engine(url)]
    try:
        makers = [make_sessionmaker(e) for e in engines]
        files = sorted(FIXTURES.glob("postfix-*.eml"))
        for round_ in range(5):
            for path in files:
                raw = path.read_bytes().replace(b"A1B2C3D4", f"R{round_}".encode())  # distinct DSNs
                await store_message(makers[0], raw, Envelope(source="smtp"), store_limit=1 << 20)
        nodes = [Processor(settings, m, concurrency=4) for m in makers]
        counts = await asyncio.gather(*(n.sweep() for n in nodes))
        async with makers[0]() as session:
            states = dict(
                (
                    await session.execute(
                        select(Message.state, func.count()).group_by(Message.state)
                    )
                ).all()
            )
            interactions = await session.scalar(select(func.count()).select_from(Interaction))
    finally:
        for engine in engines:
            await engine.dispose()
    total = 5 * len(files)
    assert states == {"parsed": total}
    assert interactions == total  # one recipient each, recorded once
    assert sum(counts) >= total


async def test_a_message_another_node_holds_is_skipped_not_waited_for(postgres_url: str) -> None:
    # The row lock, shown directly: while node A's transaction holds a pending
    # message, node B skips it at once (no second processing, no wait on A);
    # once A lets go, B processes it. Without FOR UPDATE SKIP LOCKED, B would
    # read the row and then block on A's lock when it writes the state.
    url = postgres_url
    await upgrade(url)
    settings = load_settings(env={}, database_url=url)
    engines = [make_engine(url), make_engine(url)]
    try:
        holder, node_b = (make_sessionmaker(e) for e in engines)
        raw = sorted(FIXTURES.glob("postfix-*.eml"))[0].read_bytes()
        message_id = await store_message(holder, raw, Envelope(source="smtp"), store_limit=1 << 20)
        processor = Processor(settings, node_b, concurrency=1)
        async with holder() as session:
            await session.execute(
                select(Message.id).where(Message.id == message_id).with_for_update()
            )
            skipped = await asyncio.wait_for(processor.process(message_id), timeout=10)
            await session.rollback()
        done = await asyncio.wait_for(processor.process(message_id), timeout=10)
        async with holder() as session:
            state = await session.scalar(select(Message.state).where(Message.id == message_id))
            interactions = await session.scalar(
                select(func.count())
                .select_from(Interaction)
                .where(Interaction.message_id == message_id)
            )
    finally:
        for engine in engines:
            await engine.dispose()
    assert skipped is None
    assert done == "parsed" and state == "parsed"
    assert interactions == 1
