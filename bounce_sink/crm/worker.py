"""The sync worker: drains the outbox to the configured CRM adapter, at least once.

`bounce-sink sync` runs it once (everything due now, then exit);
`sync --follow` and `serve` keep it running. Each round claims a batch under a
lease, hands it to the adapter, and records every event's outcome: delivered,
retried later with exponential backoff and full jitter (Retry-After honoured),
or parked as a dead letter. When a whole batch fails for a transient reason
the worker itself also backs off (capped), so a CRM that is down for hours
costs one small attempt every few minutes, not a busy loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.crm.adapter import CrmAdapter, DeliveryResult, OutboundEvent, Outcome
from bounce_sink.crm.backoff import backoff_delay
from bounce_sink.crm.claims import claim_batch, extend_claim, settle, utcnow

log = structlog.get_logger("bounce_sink.crm.worker")

PROGRESS_EVERY_SECONDS = 10.0


@dataclass
class SyncStats:
    """What one run of the worker did, for the CLI summary and tests."""

    batches: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake at once when asked to stop."""
    if seconds <= 0:
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _deliver(adapter: CrmAdapter, batch: list[OutboundEvent]) -> list[DeliveryResult]:
    try:
        return await adapter.deliver(batch)
    except Exception as exc:  # an adapter bug must not lose events: retry them all
        log.exception("crm.sync.adapter_error", adapter=adapter.name, batch=len(batch))
        return [
            DeliveryResult.retry(e.event_id, f"adapter error: {type(exc).__name__}: {exc}")
            for e in batch
        ]


async def _log_progress(
    sessionmaker: async_sessionmaker[AsyncSession], me: str, stats: SyncStats
) -> None:
    """A long run (an import of old bounces, a CRM back after hours) says how far it is."""
    from bounce_sink.crm.health import outbox_health

    try:
        async with sessionmaker() as session:
            health = await outbox_health(session)
    except Exception:  # progress is a courtesy; never fail the run for it
        log.info("crm.sync.progress", worker=me, **stats.as_dict())
        return
    log.info(
        "crm.sync.progress",
        worker=me,
        remaining=health.depth,
        oldest_undelivered_age_seconds=health.oldest_undelivered_age_seconds,
        dead_letters=health.dead_letters,
        **stats.as_dict(),
    )


@contextlib.asynccontextmanager
async def _lease_kept(
    sessionmaker: async_sessionmaker[AsyncSession], token: str, lease_seconds: float
) -> AsyncIterator[None]:
    """Renew the batch's lease while the adapter works, so a slow CRM does not
    let a second worker take (and send again) a batch that is still in flight.
    A killed worker renews nothing, so its lease still runs out."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(max(lease_seconds / 3, 0.05))
            try:
                await extend_claim(sessionmaker, token, lease_seconds)
            except Exception:  # a missed renewal only risks a duplicate send
                log.warning("crm.sync.lease_renewal_failed", claim=token, exc_info=True)

    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@dataclass
class _Round:
    """What one claim-deliver-settle round did."""

    size: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    retry_after: float | None = None


async def _one_round(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    adapter: CrmAdapter,
    token: str,
    due_by: datetime | None,
    rng: random.Random | None,
) -> _Round:
    batch = await claim_batch(
        sessionmaker,
        token,
        max(settings.sync_batch_size, 1),
        settings.sync_claim_seconds,
        due_by=due_by,
    )
    if not batch:
        return _Round()
    started = time.monotonic()
    async with _lease_kept(sessionmaker, token, settings.sync_claim_seconds):
        results = await _deliver(adapter, batch)
    settled = await settle(
        sessionmaker,
        batch,
        results,
        backoff_base=settings.sync_backoff_base_seconds,
        backoff_max=settings.sync_backoff_max_seconds,
        rng=rng,
    )
    for r in results:
        if r.outcome is Outcome.DEAD:
            log.warning("crm.sync.dead_letter", event_id=r.event_id, error=r.error)
    log.info(
        "crm.sync.batch",
        claim=token,
        size=len(batch),
        delivered=settled.delivered,
        retried=settled.retried,
        dead=settled.dead,
        seconds=round(time.monotonic() - started, 3),
        first_error=next((r.error for r in results if r.outcome is Outcome.RETRY), ""),
    )
    waits = [r.retry_after for r in results if r.retry_after]
    return _Round(
        len(batch), settled.delivered, settled.retried, settled.dead, max(waits, default=None)
    )


async def run_sync(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    follow: bool,
    stop: asyncio.Event | None = None,
    adapter: CrmAdapter | None = None,
    rng: random.Random | None = None,
) -> SyncStats:
    """Drain the outbox; with `follow`, keep going until `stop` is set.

    `adapter` defaults to the one `settings.crm_adapter` names (passing one is
    how tests and embedders swap it, as with an httpx transport). In follow
    mode a failing store (locked, unreachable) is logged and retried with the
    same backoff; a one-shot run lets the error out so the command fails.
    """
    if adapter is None:
        from bounce_sink.crm.adapters import make_adapter

        adapter = make_adapter(settings)
    stop = stop or asyncio.Event()
    me = worker_name()
    claims = itertools.count(1)
    stats = SyncStats()
    failing_rounds = 0
    last_progress = time.monotonic()
    due_by = None if follow else utcnow()
    log.info(
        "crm.sync.start",
        worker=me,
        adapter=adapter.name,
        follow=follow,
        batch_size=settings.sync_batch_size,
    )
    try:
        while not stop.is_set():
            try:
                done = await _one_round(
                    settings, sessionmaker, adapter, f"{me}:{next(claims)}", due_by, rng
                )
            except Exception:
                if not follow:
                    raise
                # Claims not settled stay leased and come back after the lease:
                # nothing is lost, at worst sent twice.
                failing_rounds += 1
                log.exception("crm.sync.round_failed", worker=me, rounds=failing_rounds)
                await _wait(
                    stop,
                    backoff_delay(
                        failing_rounds,
                        settings.sync_backoff_base_seconds,
                        settings.sync_backoff_max_seconds,
                        rng,
                    ),
                )
                continue
            if not done.size:
                if not follow:
                    break
                await _wait(stop, settings.sync_interval_seconds)
                continue
            stats.batches += 1
            stats.delivered += done.delivered
            stats.retried += done.retried
            stats.dead += done.dead
            if time.monotonic() - last_progress >= PROGRESS_EVERY_SECONDS:
                last_progress = time.monotonic()
                await _log_progress(sessionmaker, me, stats)
            if done.retried and not done.delivered and not done.dead:
                # The CRM (or the store) is failing as a whole: back off the
                # worker too, so a long outage is polled gently.
                failing_rounds += 1
                if follow:
                    pause = backoff_delay(
                        failing_rounds,
                        settings.sync_backoff_base_seconds,
                        settings.sync_backoff_max_seconds,
                        rng,
                        done.retry_after,
                    )
                    log.info(
                        "crm.sync.backoff",
                        worker=me,
                        seconds=round(pause, 3),
                        rounds=failing_rounds,
                    )
                    await _wait(stop, pause)
            else:
                failing_rounds = 0
    finally:
        await adapter.aclose()
        log.info("crm.sync.stop", worker=me, **stats.as_dict())
    return stats
