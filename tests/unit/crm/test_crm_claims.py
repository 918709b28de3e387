"""Claims on a real SQLite store: per-contact order, leases, and two workers never sharing an event."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.crm.adapter import DeliveryResult
from bounce_sink.crm.claims import claim_batch, settle
from bounce_sink.crm.dead_letters import retry_dead_letters
from bounce_sink.crm.health import outbox_health, render_metrics
from bounce_sink.crm.outbox import enqueue
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.models import OutboxEvent


async def add(sessionmaker: async_sessionmaker[AsyncSession], *keys: str) -> datetime:
    """Enqueue one event per key; returns a moment at which all of them are due."""
    async with sessionmaker() as session, session.begin():
        for n, key in enumerate(keys):
            enqueue(session, "interaction.recorded", key, {"address": key, "n": n})
    return datetime.now(UTC) + timedelta(milliseconds=1)


def ids(batch: list) -> list[int]:  # type: ignore[type-arg]
    return [e.id for e in batch]


async def test_one_event_per_contact_and_never_ahead_of_an_earlier_one(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    t0 = await add(
        sessionmaker, "a@x.example", "a@x.example", "b@x.example", "a@x.example"
    )  # ids 1..4
    first = await claim_batch(sessionmaker, "w:1", 10, 60, now=t0)
    assert ids(first) == [1, 3]
    await settle(
        sessionmaker,
        first,
        [
            DeliveryResult.retry(first[0].event_id, "503"),
            DeliveryResult.delivered(first[1].event_id),
        ],
        backoff_base=30,
        backoff_max=30,
        now=t0,
    )
    # event 1 waits for its retry, so events 2 and 4 of the same contact wait too
    assert await claim_batch(sessionmaker, "w:2", 10, 60, now=t0 + timedelta(milliseconds=1)) == []
    later = await claim_batch(sessionmaker, "w:3", 10, 60, now=t0 + timedelta(seconds=31))
    assert ids(later) == [1]
    await settle(
        sessionmaker,
        later,
        [DeliveryResult.dead(later[0].event_id, "422")],
        backoff_base=1,
        backoff_max=1,
        now=t0 + timedelta(seconds=31),
    )
    # a dead letter no longer holds the contact's later events back
    nxt = await claim_batch(sessionmaker, "w:4", 10, 60, now=t0 + timedelta(seconds=32))
    assert ids(nxt) == [2]


async def test_a_lease_holds_until_it_expires_then_another_worker_takes_over(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    t0 = await add(sessionmaker, "a@x.example", "b@x.example")
    held = await claim_batch(sessionmaker, "dead-worker:1", 10, 30, now=t0)
    assert ids(held) == [1, 2]
    assert await claim_batch(sessionmaker, "w:1", 10, 30, now=t0 + timedelta(seconds=29)) == []
    taken = await claim_batch(sessionmaker, "w:2", 10, 30, now=t0 + timedelta(seconds=31))
    assert ids(taken) == [1, 2]
    assert {e.attempts for e in taken} == {0}


async def test_batch_size_is_respected_in_id_order(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    t0 = await add(sessionmaker, *[f"p{n}@x.example" for n in range(12)])
    assert ids(await claim_batch(sessionmaker, "w:1", 5, 60, now=t0)) == [1, 2, 3, 4, 5]
    assert ids(await claim_batch(sessionmaker, "w:2", 5, 60, now=t0)) == [6, 7, 8, 9, 10]


async def test_two_workers_on_separate_connections_never_claim_the_same_event(
    db_url: str, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    t0 = await add(sessionmaker, *[f"p{n}@x.example" for n in range(300)])
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        makers = [make_sessionmaker(e) for e in engines]
        claimed: dict[str, list[int]] = {"A": [], "B": []}

        async def worker(name: str, maker: async_sessionmaker[AsyncSession]) -> None:
            for n in range(40):
                batch = await claim_batch(maker, f"{name}:{n}", 7, 60, now=t0)
                claimed[name].extend(ids(batch))
                await asyncio.sleep(0)

        await asyncio.gather(worker("A", makers[0]), worker("B", makers[1]))
    finally:
        for e in engines:
            await e.dispose()
    assert claimed["A"] and claimed["B"]
    assert not set(claimed["A"]) & set(claimed["B"])
    assert sorted(claimed["A"] + claimed["B"]) == list(range(1, 301))


async def test_settle_never_undoes_a_delivery_and_missing_results_retry(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    t0 = await add(sessionmaker, "a@x.example", "b@x.example")
    batch = await claim_batch(sessionmaker, "w:1", 10, 60, now=t0)
    await settle(
        sessionmaker,
        batch,
        [DeliveryResult.delivered(batch[0].event_id)],
        backoff_base=5,
        backoff_max=5,
        now=t0,
    )
    # a slow worker whose lease ran out reports a failure for an event already delivered
    late = await settle(
        sessionmaker,
        batch[:1],
        [DeliveryResult.retry(batch[0].event_id, "timeout")],
        backoff_base=5,
        backoff_max=5,
        now=t0,
    )
    assert late.retried == 1
    async with sessionmaker() as session:
        rows = list((await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars())
    assert rows[0].delivered_at is not None and rows[0].last_error == ""
    assert (
        rows[1].delivered_at is None
        and rows[1].last_error == "adapter gave no result for this event"
    )
    assert rows[1].claimed_until is None and rows[1].attempts == 1


async def test_health_and_metrics(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        empty = await outbox_health(session)
    assert (
        empty.depth == 0 and empty.oldest_undelivered_at is None and empty.last_success_at is None
    )
    assert "bounce_sink_outbox_last_success_timestamp_seconds 0" in render_metrics(empty)

    await add(sessionmaker, "a@x.example", "b@x.example", "c@x.example")
    batch = await claim_batch(sessionmaker, "w:1", 10, 60)
    await settle(
        sessionmaker,
        batch,
        [
            DeliveryResult.delivered(batch[0].event_id),
            DeliveryResult.dead(batch[1].event_id, "404"),
            DeliveryResult.retry(batch[2].event_id, "503"),
        ],
        backoff_base=5,
        backoff_max=5,
    )
    async with sessionmaker() as session:
        health = await outbox_health(session)
    assert (health.depth, health.dead_letters, health.delivered, health.retrying) == (1, 1, 1, 1)
    assert (
        health.oldest_undelivered_age_seconds is not None
        and health.oldest_undelivered_age_seconds >= 0
    )
    assert health.last_success_at is not None and health.last_success_at.tzinfo is not None
    text = render_metrics(health)
    samples = dict(line.split(" ") for line in text.splitlines() if not line.startswith("#"))
    assert samples["bounce_sink_outbox_depth"] == "1"
    assert samples["bounce_sink_outbox_dead_letters"] == "1"
    assert samples["bounce_sink_outbox_delivered_total"] == "1"
    assert (
        float(samples["bounce_sink_outbox_last_success_timestamp_seconds"])
        == health.last_success_at.timestamp()
    )
    assert "# TYPE bounce_sink_outbox_depth gauge" in text and text.endswith("\n")
    assert health.as_json()["dead_letters"] == 1

    async with sessionmaker() as session, session.begin():
        assert await retry_dead_letters(session, [batch[1].id]) == 1
    async with sessionmaker() as session:
        after = await outbox_health(session)
    assert after.dead_letters == 0 and after.depth == 2
