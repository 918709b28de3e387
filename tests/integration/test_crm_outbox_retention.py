"""Purging delivered outbox events on a real store: the rows go, the counts stay."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_crm_support import enqueue_events

from bounce_sink.config import load_settings
from bounce_sink.crm.health import outbox_health, render_metrics
from bounce_sink.crm.outbox_retention import purge_delivered
from bounce_sink.serve import _purge_periodically
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.migrate import upgrade
from bounce_sink.store.models import OutboxEvent
from bounce_sink.store.retention import retention_cutoff

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


async def _deliver(
    sessionmaker: async_sessionmaker[AsyncSession], event_ids: list[str], at: datetime
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.event_id.in_(event_ids)).values(delivered_at=at)
        )


async def _left(sessionmaker: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessionmaker() as session:
        return set((await session.scalars(select(OutboxEvent.event_id))).all())


async def _purge(sessionmaker: async_sessionmaker[AsyncSession], days: int) -> int:
    async with sessionmaker() as session:
        purged = await purge_delivered(session, retention_cutoff(days))
        await session.commit()
        return purged


async def test_old_delivered_events_go_and_the_health_figures_stay(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    made = [eid for eid, _ in await enqueue_events(sessionmaker, contacts=4, per_contact=3)]
    old, recent, pending, dead = made[:5], made[5:8], made[8:11], made[11]
    newest_old = NOW - timedelta(days=40)
    await _deliver(sessionmaker, old[:-1], NOW - timedelta(days=90))
    await _deliver(sessionmaker, old[-1:], newest_old)
    await _deliver(sessionmaker, recent, NOW - timedelta(days=2))
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(OutboxEvent).where(OutboxEvent.event_id == dead).values(dead=True)
        )
    async with sessionmaker() as session:
        before = await outbox_health(session)
    assert before.delivered == 8

    assert await _purge(sessionmaker, 30) == 5
    assert await _left(sessionmaker) == set(recent) | set(pending) | {dead}
    async with sessionmaker() as session:
        after = await outbox_health(session)
    assert after.delivered == before.delivered == 8
    assert after.last_success_at == before.last_success_at
    assert (after.depth, after.dead_letters) == (before.depth, before.dead_letters) == (3, 1)

    # Everything delivered purged: the last success is the tally's now.
    assert await _purge(sessionmaker, 1) == 3
    assert await _purge(sessionmaker, 1) == 0  # nothing twice
    async with sessionmaker() as session:
        emptied = await outbox_health(session)
        remaining = await session.scalar(
            select(func.count(OutboxEvent.id)).where(OutboxEvent.delivered_at.is_not(None))
        )
    assert remaining == 0
    assert emptied.delivered == 8
    assert emptied.last_success_at == before.last_success_at
    assert "bounce_sink_outbox_delivered_total 8\n" in render_metrics(emptied)

    # New deliveries after a purge add to the tally's count.
    await _deliver(sessionmaker, pending[:1], NOW)
    async with sessionmaker() as session:
        later = await outbox_health(session)
    assert later.delivered == 9 and later.last_success_at is not None
    assert later.last_success_at > emptied.last_success_at  # type: ignore[operator]


async def test_serve_purges_on_its_hourly_round(
    db_url: str, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """`serve`'s retention task purges at once on start, then once an hour."""
    made = [eid for eid, _ in await enqueue_events(sessionmaker, contacts=2, per_contact=2)]
    await _deliver(sessionmaker, made[:2], NOW - timedelta(days=31))
    settings = load_settings(env={}, database_url=db_url)
    assert settings.outbox_retention_days == 30 and settings.raw_retention_days == 0
    stop = asyncio.Event()
    task = asyncio.create_task(_purge_periodically(settings, sessionmaker, stop))
    try:
        for _ in range(100):
            if await _left(sessionmaker) == set(made[2:]):
                break
            await asyncio.sleep(0.05)
        assert await _left(sessionmaker) == set(made[2:])
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)
    async with sessionmaker() as session:
        assert (await outbox_health(session)).delivered == 2


def test_sync_purge_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    async def prepare() -> None:
        await upgrade(db_url)
        engine = make_engine(db_url)
        try:
            maker = make_sessionmaker(engine)
            made = [eid for eid, _ in await enqueue_events(maker, contacts=2, per_contact=2)]
            await _deliver(maker, made[:3], NOW - timedelta(days=45))
        finally:
            await engine.dispose()

    asyncio.run(prepare())
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOUNCE_SINK_")}

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bounce_sink", *args, "--database", db_url],
            env={**base, **(env or {})},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    kept = run("sync", "purge", "--days", "60")
    assert kept.returncode == 0, kept.stderr
    assert "purged 0 event(s) delivered more than 60 days ago" in kept.stdout
    done = run("sync", "purge")  # outbox_retention_days, 30 by default
    assert done.returncode == 0, done.stderr
    assert "purged 3 event(s) delivered more than 30 days ago" in done.stdout
    status = json.loads(run("sync", "status", "--json").stdout)
    assert status["delivered"] == 3 and status["depth"] == 1
    assert status["last_success_at"] is not None

    off = run("sync", "purge", env={"BOUNCE_SINK_OUTBOX_RETENTION_DAYS": "0"})
    assert off.returncode == 2 and "--days N" in off.stderr


async def test_two_nodes_purging_at_once_count_each_event_once(postgres_url: str) -> None:
    """Node B's purge starts while node A's has deleted but not committed:
    B waits on A's row locks, then finds the rows gone and counts none of them."""
    await upgrade(postgres_url)
    engines = [make_engine(postgres_url), make_engine(postgres_url)]
    node_a, node_b = (make_sessionmaker(e) for e in engines)
    try:
        made = [eid for eid, _ in await enqueue_events(node_a, contacts=50, per_contact=4)]
        for n, chunk in enumerate(range(0, len(made), 20)):
            await _deliver(node_a, made[chunk : chunk + 20], NOW - timedelta(days=31 + n))
        async with node_b() as session:
            await session.execute(select(1))  # B's connection is open before the race

        async with node_a() as session_a:
            purged_a = await purge_delivered(session_a, retention_cutoff(30))
            purging_b = asyncio.create_task(_purge(node_b, 30))
            await asyncio.sleep(0.5)
            assert not purging_b.done()  # held by A's row locks
            await session_a.commit()
        purged_b = await purging_b
        assert (purged_a, purged_b) == (200, 0)
        async with node_b() as session:
            health = await outbox_health(session)
        assert health.delivered == 200 and health.depth == 0
        assert health.last_success_at is not None
        assert abs((health.last_success_at - (NOW - timedelta(days=31))).total_seconds()) < 1
    finally:
        for engine in engines:
            await engine.dispose()
