"""Purging old raw bytes: parsed results and the audit trail stay, the message body goes.

Only messages that are done are purged; a pending one still needs its bytes,
and so does anything an admin may want to reprocess soon (that is what the
retention period is for). The sha256 and size stay, so a purged message can
still be matched to a copy kept elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.store.models import Message


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=days)


async def purge_raw(session: AsyncSession, received_before: datetime) -> int:
    """Drop the raw bytes of processed messages received before the cutoff; the caller commits."""
    result = await session.execute(
        update(Message)
        .where(
            Message.received_at < received_before.astimezone(UTC),
            Message.state != "pending",
            Message.raw.is_not(None),
        )
        .values(raw=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
