"""The CRM outbox's health as the admin shows it, read through the CRM room.

The CRM room owns what "healthy" means (`bounce_sink.crm.health`) and what a
dead letter is (`bounce_sink.crm.dead_letters`); the admin only displays
them. A health query that fails (a locked or unreachable store) leaves the
page up and says why the panel is empty.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.crm.dead_letters import DeadLetter, list_dead_letters
from bounce_sink.crm.dead_letters import retry_dead_letters as requeue
from bounce_sink.crm.health import OutboxHealth, outbox_health, render_metrics

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class OutboxStatus:
    """The CRM room's health object (or why there is none) and its fields for display."""

    health: OutboxHealth | None
    fields: dict[str, Any]
    problem: str

    @property
    def available(self) -> bool:
        return not self.problem


async def read_outbox_status(session: AsyncSession) -> OutboxStatus:
    try:
        health = await outbox_health(session)
    except Exception as exc:
        log.exception("admin.outbox_health_failed")
        return OutboxStatus(None, {}, f"CRM health failed: {type(exc).__name__}: {exc}")
    fields = {f.name: getattr(health, f.name) for f in dataclasses.fields(health)}
    return OutboxStatus(health, fields, "")


def render_crm_metrics(status: OutboxStatus) -> str:
    """The CRM room's Prometheus lines, or a comment saying why there are none."""
    if status.health is None:
        return f"# {status.problem}\n"
    return render_metrics(status.health)


async def read_dead_letters(session: AsyncSession, limit: int = 100) -> list[DeadLetter]:
    """Events the CRM refused for good, oldest first."""
    return await list_dead_letters(session, limit=limit)


async def retry_dead_letters(session: AsyncSession, ids: list[int] | None) -> int:
    """Requeue dead letters through the CRM room; the caller commits."""
    return await requeue(session, ids)
