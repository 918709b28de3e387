"""Soft-bounce counting and escalation, in the spirit of Mailman's bounce score.

Rules (DESIGN.md "Policy details", issue 4 item 3):
- only recipient-side soft failures count (taxonomy `side_of`); a sender-side
  failure is our problem and never counts against the recipient;
- at most one per UTC day, by the DSN's own date, so importing old bounces
  counts them on the days they happened;
- `soft_bounce_limit` counted days within `soft_bounce_window_days` with no
  success in between escalate to do_not_allow (reason `soft_bounce_limit`);
- days outside the window decay away; a success (delivered DSN, or a delivery
  the sending side reports) resets the count.

The count is recomputed from the counted interactions rather than kept as a
running total, so out-of-order arrivals and reclassification give the same
answer as in-order ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.store.models import Contact, Interaction
from bounce_sink.store.utc import as_utc


@dataclass(frozen=True)
class SoftCount:
    """The state of one address after a soft bounce was weighed."""

    counted: bool
    days_in_window: int
    escalate: bool


def _day(at: datetime) -> date:
    return as_utc(at).date()


async def _counted_times(
    session: AsyncSession, contact: Contact, exclude_id: int | None
) -> list[datetime]:
    query = select(Interaction.occurred_at).where(
        Interaction.contact_id == contact.id,
        Interaction.counted.is_(True),
        Interaction.superseded_by.is_(None),
    )
    if exclude_id is not None:
        query = query.where(Interaction.id != exclude_id)
    return [as_utc(at) for at in (await session.execute(query)).scalars()]


async def recount(session: AsyncSession, contact: Contact, *, window_days: int) -> int:
    """Refresh the contact's counters from its counted interactions; the days in the window."""
    return _set_counters(contact, await _counted_times(session, contact, None), window_days)


def _set_counters(contact: Contact, counted: list[datetime], window_days: int) -> int:
    """The counters from the times of all the contact's counted interactions."""
    success = as_utc(contact.last_success_at) if contact.last_success_at else None
    times = [t for t in counted if success is None or t > success]
    if not times:
        contact.soft_bounce_count = 0
        contact.soft_bounce_first_at = None
        contact.soft_bounce_last_at = None
        return 0
    latest = max(times)
    start = latest - timedelta(days=window_days)
    in_window = sorted(t for t in times if t > start)
    days = {_day(t) for t in in_window}
    contact.soft_bounce_count = len(days)
    contact.soft_bounce_first_at = in_window[0]
    contact.soft_bounce_last_at = latest
    return len(days)


async def weigh_soft_bounce(
    session: AsyncSession,
    contact: Contact,
    interaction: Interaction,
    *,
    limit: int,
    window_days: int,
) -> SoftCount:
    """Decide whether `interaction` counts, update the contact's counters, say if it escalates.

    The interaction must be flushed (have an id) and be a recipient-side soft
    failure; the caller checks side and severity.
    """
    occurred = as_utc(interaction.occurred_at)
    success = as_utc(contact.last_success_at) if contact.last_success_at else None
    # One read of the other counted bounces serves the decision and the recount.
    others = await _counted_times(session, contact, interaction.id)
    if success is not None and occurred <= success:
        # Older than a known success: it was followed by a delivery, so it no longer says anything.
        interaction.counted = False
    else:
        # Only bounces since the last success still count, so only they can fill today's slot.
        same_day = {_day(t) for t in others if success is None or t > success}
        interaction.counted = _day(occurred) not in same_day
    await session.flush()
    is_current = interaction.contact_id == contact.id and interaction.superseded_by is None
    counted = [*others, occurred] if interaction.counted and is_current else others
    days = _set_counters(contact, counted, window_days)
    return SoftCount(counted=interaction.counted, days_in_window=days, escalate=days >= limit)


async def reset_on_success(
    session: AsyncSession, contact: Contact, at: datetime, *, window_days: int
) -> None:
    """A delivery at `at` wipes the soft-bounce count (only soft bounces after it count)."""
    at = as_utc(at)
    if contact.last_success_at is None or as_utc(contact.last_success_at) < at:
        contact.last_success_at = at
    await recount(session, contact, window_days=window_days)
