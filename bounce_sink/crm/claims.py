"""Claiming due outbox events under a lease, and recording what became of them.

The claim is one UPDATE statement, so two workers (two sink nodes on one
store) never hold the same event: SQLite runs it under its write lock, and
PostgreSQL re-checks the WHERE clause on rows another transaction changed.
A claim is a lease (`claimed_until`): a worker killed with -9 mid-batch holds
its events only until the lease runs out, then another run sends them again
(at least once; the receiver drops repeats by event_id).

Order per contact: an event is due only when no earlier event of the same
`ordering_key` is still undelivered and not dead, so event N+1 never leaves
before event N is delivered or parked, and a batch holds at most one event
per contact.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from bounce_sink.crm.adapter import DeliveryResult, OutboundEvent, Outcome
from bounce_sink.crm.backoff import backoff_delay
from bounce_sink.store.models import OutboxEvent


def utcnow() -> datetime:
    return datetime.now(UTC)


def due_ids_query(now: datetime, limit: int, due_by: datetime | None = None) -> Select[int]:
    """Ids of events due now: not delivered, not dead, past their backoff, not leased, first of their contact."""
    earlier = aliased(OutboxEvent)
    blocked = exists().where(
        and_(
            earlier.ordering_key == OutboxEvent.ordering_key,
            earlier.id < OutboxEvent.id,
            earlier.delivered_at.is_(None),
            earlier.dead.is_(False),
        )
    )
    return (
        select(OutboxEvent.id)
        .where(
            OutboxEvent.delivered_at.is_(None),
            OutboxEvent.dead.is_(False),
            or_(
                OutboxEvent.next_attempt_at.is_(None),
                OutboxEvent.next_attempt_at <= (due_by or now),
            ),
            or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until <= now),
            ~blocked,
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    )


async def claim_batch(
    sessionmaker: async_sessionmaker[AsyncSession],
    claim_token: str,
    limit: int,
    lease_seconds: float,
    now: datetime | None = None,
    due_by: datetime | None = None,
) -> list[OutboundEvent]:
    """Claim up to `limit` due events for `claim_token` (unique per claim) and return them in id order.

    `due_by` (default now) limits the claim to events due by then: a one-shot
    run passes its start time, so events it retried are left for the next run
    instead of being tried again and again while the CRM is down.
    """
    now = now or utcnow()
    until = now + timedelta(seconds=lease_seconds)
    async with sessionmaker() as session, session.begin():
        due = due_ids_query(now, limit, due_by)
        ids: Any
        if session.get_bind().dialect.name == "sqlite":
            # One statement under SQLite's write lock; a SELECT first would
            # take a read snapshot that a concurrent writer can make stale.
            ids = due.scalar_subquery()
        else:
            # PostgreSQL: lock the picked rows first, skipping those another
            # worker is claiming right now. (Inside the UPDATE, a FOR UPDATE
            # subquery is re-run per row and would ignore the LIMIT.)
            ids = list(
                (await session.execute(due.with_for_update(skip_locked=True, of=OutboxEvent)))
                .scalars()
                .all()
            )
            if not ids:
                return []
        await session.execute(
            update(OutboxEvent)
            .where(
                OutboxEvent.id.in_(ids),
                # repeated on the row itself: PostgreSQL re-checks these on a row
                # a concurrent claim changed, the subquery's answer it does not
                OutboxEvent.delivered_at.is_(None),
                OutboxEvent.dead.is_(False),
                or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until <= now),
            )
            .values(claimed_until=until, claimed_by=claim_token)
            .execution_options(synchronize_session=False)
        )
        rows = (
            await session.execute(
                select(OutboxEvent)
                .where(OutboxEvent.claimed_by == claim_token)
                .order_by(OutboxEvent.id)
            )
        ).scalars()
        return [
            OutboundEvent(
                id=row.id,
                event_id=row.event_id,
                type=row.type,
                ordering_key=row.ordering_key,
                payload=dict(row.payload),
                attempts=row.attempts,
            )
            for row in rows
        ]


async def extend_claim(
    sessionmaker: async_sessionmaker[AsyncSession],
    claim_token: str,
    lease_seconds: float,
    now: datetime | None = None,
) -> int:
    """Push the lease of a claim still in flight further out; returns how many rows."""
    until = (now or utcnow()) + timedelta(seconds=lease_seconds)
    async with sessionmaker() as session, session.begin():
        result = await session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.claimed_by == claim_token, OutboxEvent.delivered_at.is_(None))
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Settled:
    delivered: int
    retried: int
    dead: int


async def settle(
    sessionmaker: async_sessionmaker[AsyncSession],
    batch: Sequence[OutboundEvent],
    results: Sequence[DeliveryResult],
    *,
    backoff_base: float,
    backoff_max: float,
    rng: random.Random | None = None,
    now: datetime | None = None,
) -> Settled:
    """Write each event's outcome and release the claim; an event without a result is retried."""
    now = now or utcnow()
    by_id = {r.event_id: r for r in results}
    delivered = retried = dead = 0
    async with sessionmaker() as session, session.begin():
        for event in batch:
            result = by_id.get(event.event_id) or DeliveryResult.retry(
                event.event_id, "adapter gave no result for this event"
            )
            attempts = event.attempts + 1
            values: dict[str, object] = {
                "attempts": attempts,
                "claimed_until": None,
                "claimed_by": "",
            }
            if result.outcome is Outcome.DELIVERED:
                values.update(delivered_at=now, last_error="")
                delivered += 1
            elif result.outcome is Outcome.DEAD:
                values.update(dead=True, last_error=result.error)
                dead += 1
            else:
                delay = backoff_delay(attempts, backoff_base, backoff_max, rng, result.retry_after)
                values.update(
                    next_attempt_at=now + timedelta(seconds=delay), last_error=result.error
                )
                retried += 1
            await session.execute(
                update(OutboxEvent)
                # never undo a delivery another worker recorded after our lease ran out
                .where(OutboxEvent.id == event.id, OutboxEvent.delivered_at.is_(None))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
    return Settled(delivered, retried, dead)
