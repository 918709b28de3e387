"""The CRM outbox's health as the admin shows it, read through the CRM room.

The CRM room owns what "healthy" means (`bounce_sink.crm.health`); the admin
only displays it. It is imported lazily so the admin still starts, and says
plainly why the panel is empty, if that module is missing or broken.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.admin.rendering import to_jsonable

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class OutboxStatus:
    """The CRM room's health object (or why there is none) and its fields for display."""

    health: Any
    fields: dict[str, Any]
    problem: str

    @property
    def available(self) -> bool:
        return not self.problem


async def read_outbox_status(session: AsyncSession) -> OutboxStatus:
    try:
        from bounce_sink.crm.health import outbox_health
    except ImportError as exc:
        return OutboxStatus(None, {}, f"CRM health is not available: {exc}")
    try:
        health = await outbox_health(session)
    except Exception as exc:
        log.exception("admin.outbox_health_failed")
        return OutboxStatus(None, {}, f"CRM health failed: {type(exc).__name__}: {exc}")
    if dataclasses.is_dataclass(health) and not isinstance(health, type):
        fields = {f.name: getattr(health, f.name) for f in dataclasses.fields(health)}
    else:
        converted = to_jsonable(health)
        fields = converted if isinstance(converted, dict) else {"value": converted}
    return OutboxStatus(health, fields, "")


def render_crm_metrics(status: OutboxStatus) -> str:
    """The CRM room's Prometheus lines, or a comment saying why there are none."""
    if not status.available:
        return f"# {status.problem}\n"
    try:
        from bounce_sink.crm.health import render_metrics
    except ImportError as exc:
        return f"# CRM metrics are not available: {exc}\n"
    text = render_metrics(status.health)
    return text if text.endswith("\n") else text + "\n"


@dataclass(frozen=True)
class DeadLetters:
    """Events the CRM refused for good (the CRM room's `DeadLetter`s), or why none can be read."""

    items: list[Any]
    problem: str


async def read_dead_letters(session: AsyncSession, limit: int = 100) -> DeadLetters:
    try:
        from bounce_sink.crm.dead_letters import list_dead_letters
    except ImportError as exc:
        return DeadLetters([], f"CRM dead letters are not available: {exc}")
    return DeadLetters(list(await list_dead_letters(session, limit=limit)), "")


async def retry_dead_letters(session: AsyncSession, ids: list[int] | None) -> int:
    """Requeue dead letters through the CRM room; the caller commits."""
    from bounce_sink.crm.dead_letters import retry_dead_letters as requeue

    return await requeue(session, ids)
