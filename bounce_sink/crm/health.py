"""Outbox health: is the CRM hearing about everything, and how far behind is it?

Four numbers answer it (issue 5, item 5): depth (events not yet delivered
nor dead), the age of the oldest of them, when the last delivery succeeded,
and how many dead letters wait for an admin. The CLI (`sync status`), the
admin pages and `/metrics` all read the same `OutboxHealth`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.crm.claims import utcnow
from bounce_sink.crm.outbox_retention import TALLY_ID
from bounce_sink.store.models import OutboxEvent, OutboxTally
from bounce_sink.store.utc import as_utc, iso_utc


@dataclass(frozen=True)
class OutboxHealth:
    depth: int  # undelivered and not dead
    oldest_undelivered_at: datetime | None
    oldest_undelivered_age_seconds: float | None
    last_success_at: datetime | None
    dead_letters: int
    delivered: int  # ever, purged events included
    retrying: int  # undelivered events that have failed at least once
    measured_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "oldest_undelivered_at": iso_utc(self.oldest_undelivered_at),
            "oldest_undelivered_age_seconds": self.oldest_undelivered_age_seconds,
            "last_success_at": iso_utc(self.last_success_at),
            "dead_letters": self.dead_letters,
            "delivered": self.delivered,
            "retrying": self.retrying,
            "measured_at": iso_utc(self.measured_at),
        }


async def outbox_health(session: AsyncSession) -> OutboxHealth:
    now = utcnow()
    pending = (OutboxEvent.delivered_at.is_(None), OutboxEvent.dead.is_(False))
    depth, oldest = (
        await session.execute(
            select(func.count(OutboxEvent.id), func.min(OutboxEvent.created_at)).where(*pending)
        )
    ).one()
    retrying = await session.scalar(
        select(func.count(OutboxEvent.id)).where(*pending, OutboxEvent.attempts > 0)
    )
    # The delivered rows and the tally of purged ones in one statement, so
    # one snapshot (PostgreSQL's READ COMMITTED takes one per statement): a
    # purge committing in between must not make the counter jump and fall back.
    delivered_rows = OutboxEvent.delivered_at.is_not(None)
    delivered, last_success, purged, last_purged = (
        await session.execute(
            select(
                select(func.count(OutboxEvent.id)).where(delivered_rows).scalar_subquery(),
                select(func.max(OutboxEvent.delivered_at)).where(delivered_rows).scalar_subquery(),
                select(OutboxTally.delivered_purged)
                .where(OutboxTally.id == TALLY_ID)
                .scalar_subquery(),
                select(OutboxTally.last_delivered_at)
                .where(OutboxTally.id == TALLY_ID)
                .scalar_subquery(),
            )
        )
    ).one()
    dead = await session.scalar(
        select(func.count(OutboxEvent.id)).where(OutboxEvent.dead.is_(True))
    )
    successes = [as_utc(t) for t in (last_success, last_purged) if t is not None]
    oldest_at = as_utc(oldest) if oldest is not None else None
    return OutboxHealth(
        depth=int(depth or 0),
        oldest_undelivered_at=oldest_at,
        oldest_undelivered_age_seconds=(
            max((now - oldest_at).total_seconds(), 0.0) if oldest_at is not None else None
        ),
        last_success_at=max(successes) if successes else None,
        dead_letters=int(dead or 0),
        delivered=int(delivered or 0) + int(purged or 0),
        retrying=int(retrying or 0),
        measured_at=now,
    )


def _number(value: float) -> str:
    """Full precision (a Unix timestamp must keep its digits), integers without a fraction."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render_metrics(health: OutboxHealth) -> str:
    """Prometheus text exposition (format 0.0.4) of the outbox health."""
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, value: float) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        lines.append(f"{name} {_number(value)}")

    metric(
        "bounce_sink_outbox_depth",
        "gauge",
        "Outbox events not yet delivered to the CRM (dead letters excluded).",
        health.depth,
    )
    metric(
        "bounce_sink_outbox_retrying",
        "gauge",
        "Undelivered outbox events that failed at least once.",
        health.retrying,
    )
    metric(
        "bounce_sink_outbox_oldest_undelivered_age_seconds",
        "gauge",
        "Age of the oldest undelivered outbox event; 0 when none.",
        health.oldest_undelivered_age_seconds or 0.0,
    )
    metric(
        "bounce_sink_outbox_last_success_timestamp_seconds",
        "gauge",
        "Unix time of the last successful CRM delivery; 0 when never.",
        health.last_success_at.timestamp() if health.last_success_at else 0.0,
    )
    metric(
        "bounce_sink_outbox_dead_letters",
        "gauge",
        "Outbox events the CRM refused permanently, waiting for an admin.",
        health.dead_letters,
    )
    metric(
        "bounce_sink_outbox_delivered_total",
        "counter",
        "Outbox events delivered to the CRM.",
        health.delivered,
    )
    return "\n".join(lines) + "\n"
