"""The sync worker against a real webhook receiver on loopback that verifies every signature."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_crm_support import (
    WebhookReceiver,
    assert_per_contact_order,
    enqueue_events,
    webhook_receiver,
)

from bounce_sink.config import Settings
from bounce_sink.crm.dead_letters import list_dead_letters, retry_dead_letters
from bounce_sink.crm.health import outbox_health
from bounce_sink.crm.worker import run_sync
from bounce_sink.store.models import OutboxEvent

pytestmark = pytest.mark.integration

SECRET = "whsec-test-0123456789"


def configure(settings: Settings, url: str) -> Settings:
    settings.crm_adapter = "webhook"
    settings.crm_webhook_url = url
    settings.crm_webhook_secret = SECRET
    settings.sync_batch_size = 7
    settings.sync_backoff_base_seconds = 0.02
    settings.sync_backoff_max_seconds = 0.1
    settings.sync_interval_seconds = 0.02
    settings.sync_http_timeout_seconds = 0.5
    return settings


async def outbox(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxEvent]:
    async with sessionmaker() as session:
        return list((await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars())


async def follow_until(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    done: Callable[[], bool],
    limit: float = 20.0,
) -> None:
    """Run the worker in follow mode until `done()` (state of the receiver's thread) holds."""
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_sync(settings, sessionmaker, follow=True, stop=stop, rng=random.Random(7))
    )
    try:
        async with asyncio.timeout(limit):
            while not done():  # noqa: ASYNC110 - the receiver lives in another thread: poll it
                await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


async def test_every_event_arrives_signed_once_in_per_contact_order(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    made = await enqueue_events(sessionmaker, contacts=9, per_contact=4)
    with webhook_receiver(WebhookReceiver(SECRET)) as receiver:
        stats = await run_sync(configure(settings, receiver.url), sessionmaker, follow=False)
    assert receiver.bad_signatures == 0
    assert set(receiver.applied) == {eid for eid, _ in made}
    assert receiver.duplicates == 0
    assert stats.delivered == len(made) and stats.dead == 0 and stats.retried == 0
    assert all(key for key in receiver.idempotency_keys)
    assert_per_contact_order(receiver, made)
    rows = await outbox(sessionmaker)
    assert all(r.delivered_at is not None and not r.dead and r.claimed_until is None for r in rows)
    async with sessionmaker() as session:
        health = await outbox_health(session)
    assert (
        health.depth == 0 and health.delivered == len(made) and health.last_success_at is not None
    )


async def test_wrong_secret_is_refused_by_the_receiver_and_nothing_is_lost(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    made = await enqueue_events(sessionmaker, contacts=2, per_contact=1)
    with webhook_receiver(WebhookReceiver("another-secret")) as receiver:
        stats = await run_sync(configure(settings, receiver.url), sessionmaker, follow=False)
    assert receiver.bad_signatures >= 1 and not receiver.applied
    assert stats.delivered == 0 and stats.retried == len(made)
    rows = await outbox(sessionmaker)
    assert all(
        r.delivered_at is None and not r.dead and r.attempts == 1 and "401" in r.last_error
        for r in rows
    )


@pytest.mark.parametrize(
    "failure",
    [503, 500, 408, 429, ("hang", 1.0)],
    ids=["503", "500", "408", "429", "timeout"],
)
async def test_a_receiver_that_fails_for_a_while_then_recovers_gets_everything(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], failure: object
) -> None:
    made = await enqueue_events(sessionmaker, contacts=6, per_contact=3)
    receiver = WebhookReceiver(SECRET, plan=lambda n: failure if n <= 4 else None)
    with webhook_receiver(receiver):
        await follow_until(
            configure(settings, receiver.url),
            sessionmaker,
            lambda: len(receiver.applied) == len(made),
        )
    assert set(receiver.applied) == {eid for eid, _ in made}
    assert receiver.requests > 4
    assert_per_contact_order(receiver, made)
    rows = await outbox(sessionmaker)
    assert all(r.delivered_at is not None for r in rows)
    assert max(r.attempts for r in rows) >= 2  # the failures were really retried


async def test_retry_after_is_honoured(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await enqueue_events(sessionmaker, contacts=1, per_contact=1)
    receiver = WebhookReceiver(SECRET, plan=lambda n: 429 if n == 1 else None, retry_after="30")
    with webhook_receiver(receiver):
        stats = await run_sync(configure(settings, receiver.url), sessionmaker, follow=False)
    assert stats.retried == 1
    (row,) = await outbox(sessionmaker)
    assert row.next_attempt_at is not None
    wait = (row.next_attempt_at - row.created_at).total_seconds()
    assert 29 <= wait <= 40, wait  # far above the 0.1 s backoff cap: the server's wish wins


async def test_permanent_4xx_parks_a_dead_letter_that_later_events_do_not_wait_for(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    made = await enqueue_events(sessionmaker, contacts=3, per_contact=2)
    first_of_person0 = made[0][0]
    receiver = WebhookReceiver(SECRET)
    receiver.reject.add(first_of_person0)
    with webhook_receiver(receiver):
        stats = await run_sync(configure(settings, receiver.url), sessionmaker, follow=False)
        assert stats.dead == 1
        assert set(receiver.applied) == {eid for eid, _ in made} - {first_of_person0}
        async with sessionmaker() as session:
            letters = await list_dead_letters(session)
            health = await outbox_health(session)
        assert [d.event_id for d in letters] == [first_of_person0]
        assert "unknown person" in letters[0].last_error
        assert health.dead_letters == 1 and health.depth == 0

        # The receiver is fixed; an admin retries the dead letter and it arrives.
        receiver.reject.clear()
        async with sessionmaker() as session, session.begin():
            assert await retry_dead_letters(session, None) == 1
        stats = await run_sync(settings, sessionmaker, follow=False)
    assert stats.delivered == 1
    assert first_of_person0 in receiver.applied
    async with sessionmaker() as session:
        assert (await outbox_health(session)).dead_letters == 0


async def test_whole_batch_4xx_is_dead_lettered(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    made = await enqueue_events(sessionmaker, contacts=2, per_contact=1)
    with webhook_receiver(WebhookReceiver(SECRET, plan=lambda n: 422)) as receiver:
        stats = await run_sync(configure(settings, receiver.url), sessionmaker, follow=False)
    assert stats.dead == len(made)
    assert all(r.dead and "HTTP 422" in r.last_error for r in await outbox(sessionmaker))


async def test_a_slow_batch_keeps_its_lease_so_a_second_worker_does_not_send_it_again(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    made = await enqueue_events(sessionmaker, contacts=10, per_contact=1)
    receiver = WebhookReceiver(SECRET, hold_after_apply=1.2)
    with webhook_receiver(receiver):
        configure(settings, receiver.url)
        settings.sync_batch_size = 5
        settings.sync_claim_seconds = 0.3  # far shorter than the receiver takes to answer
        settings.sync_http_timeout_seconds = 5.0
        stop = asyncio.Event()
        first = asyncio.create_task(run_sync(settings, sessionmaker, follow=True, stop=stop))
        assert await asyncio.to_thread(receiver.applying.wait, 10)
        await asyncio.sleep(0.7)  # the first lease would have run out twice by now
        second = await run_sync(settings, sessionmaker, follow=False)
        async with asyncio.timeout(15):
            while len(receiver.applied) < len(made):  # noqa: ASYNC110 - receiver thread state
                await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(first, 10)
    assert second.delivered == 5  # only the other half: the first worker's batch stayed its own
    assert receiver.duplicates == 0
    assert set(receiver.applied) == {eid for eid, _ in made}


async def test_follow_mode_rides_out_a_store_failure(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    made = await enqueue_events(sessionmaker, contacts=3, per_contact=1)
    path = db_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:  # the outbox vanishes under the worker
        db.execute("ALTER TABLE outbox RENAME TO outbox_away")
    receiver = WebhookReceiver(SECRET)
    with webhook_receiver(receiver):
        configure(settings, receiver.url)
        stop = asyncio.Event()
        task = asyncio.create_task(run_sync(settings, sessionmaker, follow=True, stop=stop))
        await asyncio.sleep(0.5)
        assert not task.done() and not receiver.applied  # failing, backing off, still alive
        with sqlite3.connect(path) as db:
            db.execute("ALTER TABLE outbox_away RENAME TO outbox")
        async with asyncio.timeout(15):
            while len(receiver.applied) < len(made):  # noqa: ASYNC110 - receiver thread state
                await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 10)
    assert set(receiver.applied) == {eid for eid, _ in made}
