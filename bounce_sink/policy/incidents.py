"""Incidents: many sender-side failures at one receiving domain are our problem, not theirs.

When a provider starts refusing our mail (reputation, authentication, rate),
every recipient there bounces at once. Those bounces are recorded but suppress
nobody (their side is `sender`); this module notices the wave and opens, or
extends, one Incident per domain so an admin sees it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.policy.addresses import domain_of
from bounce_sink.store.models import Incident, Interaction
from bounce_sink.store.utc import as_utc

log = structlog.get_logger(__name__)


async def close_quiet_incidents(
    session: AsyncSession, now: datetime, *, window_minutes: int
) -> int:
    """Close open incidents (any domain) quiet for a whole window; how many were closed.

    Closing time is the last failure plus one window: the moment it was clear
    the wave had passed.
    """
    window = timedelta(minutes=window_minutes)
    quiet = (
        (
            await session.execute(
                select(Incident).where(
                    Incident.closed_at.is_(None), Incident.last_seen_at < now - window
                )
            )
        )
        .scalars()
        .all()
    )
    for incident in quiet:
        incident.closed_at = as_utc(incident.last_seen_at) + window
        log.info(
            "incident_closed",
            incident_id=incident.id,
            domain=incident.domain,
            failures=incident.count,
        )
    return len(quiet)


async def note_sender_side_failure(
    session: AsyncSession,
    interaction: Interaction,
    *,
    threshold: int,
    window_minutes: int,
) -> Incident | None:
    """Open or update the domain's incident when the window holds `threshold` such failures.

    An open incident that has been quiet for a whole window is closed and a
    new one opened, so each wave is its own row.
    """
    domain = domain_of(interaction.address)
    if not domain or threshold <= 0:
        return None
    at = as_utc(interaction.occurred_at)
    window = timedelta(minutes=window_minutes)
    await close_quiet_incidents(session, at, window_minutes=window_minutes)
    open_incident = (
        await session.execute(
            select(Incident)
            .where(Incident.domain == domain, Incident.closed_at.is_(None))
            .order_by(Incident.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if open_incident is not None:
        # close_quiet_incidents just closed every incident quiet for longer than
        # the window before `at`, so one still open belongs to this wave.
        open_incident.count += 1
        if at > as_utc(open_incident.last_seen_at):
            open_incident.last_seen_at = at
        return open_incident
    await session.flush()
    in_window = (
        await session.execute(
            select(func.count(Interaction.id)).where(
                Interaction.address.like(f"%@{domain}"),
                Interaction.side == "sender",
                Interaction.quarantined.is_(False),
                Interaction.superseded_by.is_(None),
                Interaction.occurred_at > at - window,
                Interaction.occurred_at <= at,
            )
        )
    ).scalar_one()
    if in_window < threshold:
        return None
    incident = Incident(
        domain=domain,
        reason=interaction.reason,
        opened_at=at,
        last_seen_at=at,
        count=in_window,
        sample_diagnostic=interaction.diagnostic[:2000],
    )
    session.add(incident)
    await session.flush()
    log.warning(
        "incident_opened",
        incident_id=incident.id,
        domain=domain,
        reason=interaction.reason,
        failures=in_window,
        window_minutes=window_minutes,
    )
    return incident
