"""A `bounce-sink sync --follow` process killed with SIGKILL mid-batch, then restarted, loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_crm_support import WebhookReceiver, enqueue_events, webhook_receiver

from bounce_sink.store.models import OutboxEvent

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SECRET = "whsec-kill9"


def start_worker(db_url: str, url: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOUNCE_SINK_")}
    env.update(
        BOUNCE_SINK_CRM_ADAPTER="webhook",
        BOUNCE_SINK_CRM_WEBHOOK_URL=url,
        BOUNCE_SINK_CRM_WEBHOOK_SECRET=SECRET,
        BOUNCE_SINK_SYNC_BATCH_SIZE="5",
        BOUNCE_SINK_SYNC_CLAIM_SECONDS="1.5",
        BOUNCE_SINK_SYNC_INTERVAL_SECONDS="0.1",
        BOUNCE_SINK_SYNC_BACKOFF_BASE_SECONDS="0.05",
        BOUNCE_SINK_SYNC_BACKOFF_MAX_SECONDS="0.2",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bounce_sink", "--database", db_url, "sync", "--follow"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def counts(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessionmaker() as session:
        delivered = await session.scalar(
            select(func.count()).where(OutboxEvent.delivered_at.is_not(None))
        )
        claimed = await session.scalar(
            select(func.count()).where(
                OutboxEvent.delivered_at.is_(None), OutboxEvent.claimed_until.is_not(None)
            )
        )
    return int(delivered or 0), int(claimed or 0)


async def test_sigkill_mid_batch_then_restart_delivers_everything_and_duplicates_are_droppable(
    db_url: str, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    made = await enqueue_events(sessionmaker, contacts=10, per_contact=3)
    receiver = WebhookReceiver(SECRET, hold_after_apply=30.0)
    with webhook_receiver(receiver):
        first = start_worker(db_url, receiver.url, tmp_path)
        try:
            # The receiver has applied the first batch and holds its answer: kill now.
            assert await asyncio.to_thread(receiver.applying.wait, 30), first.stderr
            first.send_signal(signal.SIGKILL)
            assert first.wait(10) == -signal.SIGKILL
        finally:
            if first.poll() is None:
                first.kill()
        in_flight = set(receiver.applied)
        assert len(in_flight) == 5
        delivered, claimed = await counts(sessionmaker)
        assert delivered == 0 and claimed == 5  # the batch was sent but never recorded as delivered

        receiver.hold_after_apply = 0.0
        second = start_worker(db_url, receiver.url, tmp_path)
        try:
            async with asyncio.timeout(40):
                while (await counts(sessionmaker))[0] < len(made):  # noqa: ASYNC110 - another process writes it
                    await asyncio.sleep(0.1)
            second.send_signal(signal.SIGTERM)
            _, err = second.communicate(timeout=15)
            assert second.returncode == 0, err.decode()
        finally:
            if second.poll() is None:
                second.kill()
    assert set(receiver.applied) == {eid for eid, _ in made}
    # the killed batch came again after its lease ran out, and the receiver dropped it by event_id
    assert receiver.duplicates == len(in_flight)
    assert receiver.bad_signatures == 0
    assert b"crm.sync.stop" in err
