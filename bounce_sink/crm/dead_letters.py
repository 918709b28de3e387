"""Dead letters: events the CRM refused for good, kept for an admin to see and send again.

A retry puts the event back in the queue as if new (attempts reset, due now);
its last error stays visible until the next attempt replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.crm.claims import utcnow
from bounce_sink.store.models import OutboxEvent
from bounce_sink.store.utc import as_utc


@dataclass(frozen=True)
class DeadLetter:
    id: int
    event_id: str
    type: str
    ordering_key: str
    attempts: int
    last_error: str
    created_at: datetime
    payload: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "type": self.type,
            "ordering_key": self.ordering_key,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "payload": self.payload,
        }


async def list_dead_letters(session: AsyncSession, limit: int = 1000) -> list[DeadLetter]:
    rows = (
        await session.execute(
            select(OutboxEvent)
            .where(OutboxEvent.dead.is_(True))
            .order_by(OutboxEvent.id)
            .limit(limit)
        )
    ).scalars()
    return [
        DeadLetter(
            id=r.id,
            event_id=r.event_id,
            type=r.type,
            ordering_key=r.ordering_key,
            attempts=r.attempts,
            last_error=r.last_error,
            created_at=as_utc(r.created_at),
            payload=dict(r.payload),
        )
        for r in rows
    ]


async def retry_dead_letters(session: AsyncSession, ids: list[int] | None = None) -> int:
    """Requeue the given dead letters (by outbox id or all when `ids` is None); returns how many."""
    statement = update(OutboxEvent).where(OutboxEvent.dead.is_(True))
    if ids is not None:
        statement = statement.where(OutboxEvent.id.in_(ids))
    result = await session.execute(
        statement.values(
            dead=False, attempts=0, next_attempt_at=utcnow(), claimed_until=None, claimed_by=""
        ).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
