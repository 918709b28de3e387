"""Purging delivered outbox events, keeping what they counted.

Every result the sink records becomes an outbox event, and a delivered event
is of no further use to the worker: left alone the table only grows (a sink
taking 10,000 bounces a day adds millions of rows a year). Dead letters and
undelivered events are never purged: they still need a delivery or an admin.

The health figures that came from the purged rows (how many were delivered,
when the last one was) move to the one-row `outbox_tally` in the same
transaction, so `/metrics`' delivered counter never goes down and "last
success" survives a purge of every delivered row.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.store.models import OutboxEvent, OutboxTally
from bounce_sink.store.utc import as_utc

TALLY_ID = 1


async def purge_delivered(session: AsyncSession, delivered_before: datetime) -> int:
    """Delete events delivered before the cutoff and tally them; the caller commits.

    The rows are counted from what DELETE … RETURNING gave back, not from a
    count taken before: when two sink nodes purge at once (PostgreSQL), each
    counts only the rows its own statement removed, so none is counted twice.
    """
    gone = (
        await session.execute(
            delete(OutboxEvent)
            .where(
                OutboxEvent.delivered_at.is_not(None),
                OutboxEvent.delivered_at < delivered_before.astimezone(UTC),
            )
            .returning(OutboxEvent.delivered_at)
            .execution_options(synchronize_session=False)
        )
    ).scalars()
    times = [as_utc(t) for t in gone if t is not None]
    if not times:
        return 0
    await _add_to_tally(session, len(times), max(times))
    return len(times)


async def _add_to_tally(session: AsyncSession, count: int, latest: datetime) -> None:
    """Add to the one tally row, creating it on first use; the row lock orders concurrent purges."""
    tally = await session.get(OutboxTally, TALLY_ID, with_for_update=True)
    if tally is None:
        session.add(OutboxTally(id=TALLY_ID, delivered_purged=count, last_delivered_at=latest))
        # Two nodes' first purges at once: one fails on the key and rolls back,
        # its rows stay for the next purge.
        await session.flush()
        return
    tally.delivered_purged += count
    previous = as_utc(tally.last_delivered_at) if tally.last_delivered_at else None
    if previous is None or latest > previous:
        tally.last_delivered_at = latest
