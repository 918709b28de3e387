"""From a stored raw message to results: parse, then policy, in one transaction.

Intake has already answered 250 when this runs, so nothing here may lose a
message. A message that cannot be processed ends in state `unparsed` with the
error text, visible to an admin like any other (Mailman's "shunt"); a message
left `pending` by a crash is picked up by the startup and periodic sweeps.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import defer

from bounce_sink.config import Settings
from bounce_sink.parse import Report, parse_message
from bounce_sink.store.messages import pending_message_ids
from bounce_sink.store.models import Message

log = structlog.get_logger("bounce_sink.processing")

# The parser bounds its own work; this is the last line against a pathological
# message holding a worker thread. The thread itself cannot be killed.
PARSE_TIMEOUT_SECONDS = 60.0
# SQLite has one writer at a time: parallel policy transactions only queue on
# its lock and slow intake down (measured: 1 worker ~100 msg/s end to end and
# intake unhindered; 4 workers ~60 msg/s). A server database takes more.
SQLITE_CONCURRENCY = 1
DEFAULT_CONCURRENCY = 4
SWEEP_INTERVAL_SECONDS = 60.0
SWEEP_BATCH = 500


class Processor:
    """Runs messages through parse and policy, at most `concurrency` at a time."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        concurrency: int | None = None,
        parse_timeout: float = PARSE_TIMEOUT_SECONDS,
    ) -> None:
        self._settings = settings
        self._sessionmaker = sessionmaker
        if concurrency is None:
            sqlite = settings.database_url.startswith("sqlite")
            concurrency = SQLITE_CONCURRENCY if sqlite else DEFAULT_CONCURRENCY
        self._slots = asyncio.Semaphore(max(1, concurrency))
        self._parse_timeout = parse_timeout
        self._in_flight: set[int] = set()
        self._tasks: set[asyncio.Task[str | None]] = set()

    def submit(self, message_id: int) -> None:
        """Process a just-stored message in the background (intake's on_stored hook)."""
        task = asyncio.get_running_loop().create_task(self.process(message_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every submitted message to finish (shutdown, tests, `ingest`)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def sweep(self) -> int:
        """Process every message still pending; returns how many were picked up."""
        total = 0
        while True:
            async with self._sessionmaker() as session:
                ids = [
                    i
                    for i in await pending_message_ids(session, SWEEP_BATCH)
                    if i not in self._in_flight
                ]
            if not ids:
                return total
            results = await asyncio.gather(*(self.process(i) for i in ids))
            total += len(ids)
            if all(r is None for r in results):
                return total  # nothing could be finished: try again next sweep

    async def run_sweeps(
        self, stop: asyncio.Event, interval: float = SWEEP_INTERVAL_SECONDS
    ) -> None:
        """Sweep now (a crash between 250 and processing loses nothing), then every `interval`."""
        while not stop.is_set():
            try:
                count = await self.sweep()
                if count:
                    log.info("sweep_done", picked_up=count)
            except Exception as exc:  # the store may be down for a while; keep trying
                log.error("sweep_failed", error=f"{type(exc).__name__}: {exc}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def process(self, message_id: int) -> str | None:
        """Parse and apply policy to one pending message; returns its new state.

        None means the message was not pending (already done or unknown) or the
        store failed, in which case it stays pending for the next sweep.
        """
        if message_id in self._in_flight:
            return None
        self._in_flight.add(message_id)
        try:
            async with self._slots:
                return await self._process(message_id)
        finally:
            self._in_flight.discard(message_id)

    async def _process(self, message_id: int) -> str | None:
        async with self._sessionmaker() as session:
            found = (
                await session.execute(
                    select(Message.state, Message.raw).where(Message.id == message_id)
                )
            ).one_or_none()
        if found is None or found.state != "pending":
            return None
        raw = found.raw or b""
        try:
            report = await asyncio.wait_for(
                asyncio.to_thread(parse_message, raw), timeout=self._parse_timeout
            )
        except TimeoutError:
            report = Report(error=f"parsing took longer than {self._parse_timeout:g} s")
        except Exception as exc:  # parse_message promises not to raise; be sure
            report = Report(error=f"parser crashed: {type(exc).__name__}: {exc}")
        try:
            return await self._apply(message_id, report)
        except Exception as exc:
            log.exception("processing_failed", message_id=message_id)
            return await self._mark_unparsed(message_id, f"{type(exc).__name__}: {exc}")

    async def _apply(self, message_id: int, report: Report) -> str | None:
        from bounce_sink.policy import apply_report

        async with self._sessionmaker() as session:
            # Several sink nodes may sweep one PostgreSQL store: the row lock
            # makes one of them do the work, the others skip (SQLite has one
            # writer anyway and ignores it).
            # The bytes were read above; policy never needs them, so they are
            # not loaded a second time (up to store_limit per message).
            message = await session.scalar(
                select(Message)
                .options(defer(Message.raw, raiseload=True))
                .where(Message.id == message_id, Message.state == "pending")
                .with_for_update(skip_locked=True)
            )
            if message is None:
                return None
            # A report with an error (parser gave up, crashed or timed out)
            # is marked unparsed by the policy itself, which keeps what the
            # parser did read; reclassify takes the same path.
            await apply_report(session, message, report, self._settings)
            if message.state == "pending":  # policy decided nothing: still visible
                message.state = "other"
            message.processed_at = datetime.now(UTC)
            state = message.state
            await session.commit()
        log.info(
            "message_processed",
            message_id=message_id,
            state=state,
            kind=report.kind,
            format=report.format,
            recipients=len(report.recipients),
            error=report.error or None,
        )
        return state

    async def _mark_unparsed(self, message_id: int, error: str) -> str | None:
        try:
            async with self._sessionmaker() as session:
                message = await session.get(Message, message_id)
                if message is None or message.state != "pending":
                    return None
                message.state = "unparsed"
                message.error = error[:10000]
                message.processed_at = datetime.now(UTC)
                await session.commit()
        except Exception as exc:
            log.error(
                "message_left_pending",
                message_id=message_id,
                error=f"{type(exc).__name__}: {exc}",
            )
            return None
        return "unparsed"
