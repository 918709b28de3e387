"""Writing outbox events, always inside the caller's transaction.

An event is only ever added in the same session (and so the same commit) as
the state change it reports, so the CRM can never miss a change nor hear of
one that was rolled back.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.store.models import OutboxEvent

PAYLOAD_VERSION = 1


def enqueue(
    session: AsyncSession,
    type: str,
    ordering_key: str,
    payload: dict[str, Any],
    event_id: str | None = None,
) -> OutboxEvent:
    """Add an event to the session; the caller commits it with its change.

    `event_id` should be derived from what the event reports (e.g. the
    interaction id) when that is stable, so a retried transaction cannot make a
    second event for the same change.
    """
    now = datetime.now(UTC)
    eid = event_id or str(uuid.uuid4())
    body = {"version": PAYLOAD_VERSION, "event_id": eid, "type": type, **payload}
    event = OutboxEvent(
        event_id=eid,
        type=type,
        ordering_key=ordering_key,
        payload=body,
        created_at=now,
        attempts=0,
        next_attempt_at=now,
        dead=False,
        last_error="",
    )
    session.add(event)
    return event
