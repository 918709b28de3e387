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
