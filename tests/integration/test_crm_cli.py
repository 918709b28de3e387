"""`bounce-sink sync …` and `crm address-change` as an operator runs them (subprocesses, real store, real receiver)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_crm_support import WebhookReceiver, enqueue_events, webhook_receiver

from bounce_sink.crm.health import outbox_health

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SECRET = "whsec-cli"


def bounce_sink(
    db_url: str, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOUNCE_SINK_")}
    return subprocess.run(
        [sys.executable, "-m", "bounce_sink", "--database", db_url, *args],
        env={**base, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_dead_letter_seen_in_status_listed_and_retried_from_the_command_line(
    db_url: str, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    made = await enqueue_events(sessionmaker, contacts=3, per_contact=2)
    refused = made[1][0]
    receiver = WebhookReceiver(SECRET)
    receiver.reject.add(refused)
    with webhook_receiver(receiver):
        env = {
            "BOUNCE_SINK_CRM_ADAPTER": "webhook",
            "BOUNCE_SINK_CRM_WEBHOOK_URL": receiver.url,
            "BOUNCE_SINK_CRM_WEBHOOK_SECRET": SECRET,
        }
        run = bounce_sink(db_url, tmp_path, "sync", "--json", env=env)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == {
            "batches": 2,
            "delivered": len(made) - 1,
            "retried": 0,
            "dead": 1,
        }

        status = bounce_sink(db_url, tmp_path, "sync", "status", "--json", env=env)
        doc = json.loads(status.stdout)
        assert doc["adapter"] == "webhook" and doc["dead_letters"] == 1 and doc["depth"] == 0
        assert doc["last_success_at"] is not None

        human = bounce_sink(db_url, tmp_path, "sync", "status", env=env)
        assert "dead letters:        1" in human.stdout and "sync dead-letters" in human.stdout

        letters = bounce_sink(db_url, tmp_path, "sync", "dead-letters", "--json")
        (line,) = letters.stdout.splitlines()
        letter = json.loads(line)
        assert letter["event_id"] == refused and "unknown person" in letter["last_error"]

        missing = bounce_sink(db_url, tmp_path, "sync", "retry", "no-such-event")
        assert missing.returncode == 1 and "not dead letters: no-such-event" in missing.stderr
        assert "`bounce-sink sync dead-letters` lists them" in missing.stderr

        receiver.reject.clear()
        retried = bounce_sink(db_url, tmp_path, "sync", "retry", refused)
        assert retried.returncode == 0 and "1 dead letter(s) queued again" in retried.stdout
        again = bounce_sink(db_url, tmp_path, "sync", "--json", env=env)
        assert json.loads(again.stdout)["delivered"] == 1
    assert set(receiver.applied) == {eid for eid, _ in made}
    async with sessionmaker() as session:
        final = await outbox_health(session)
    assert final.dead_letters == 0 and final.depth == 0 and final.delivered == len(made)


def test_address_change_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    done = bounce_sink(
        db_url, tmp_path, "crm", "address-change", "P-9", "Someone@Example.ORG", "--json"
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (
        doc["person_id"] == "P-9"
        and doc["address"] == "Someone@example.org"
        and doc["created"] is True
    )
    bad = bounce_sink(db_url, tmp_path, "crm", "address-change", "P-9", "not-an-address")
    assert bad.returncode == 2 and "not an email address" in bad.stderr


def test_sync_with_an_incomplete_adapter_config_says_what_to_set(
    db_url: str, tmp_path: Path
) -> None:
    bad = bounce_sink(db_url, tmp_path, "sync", env={"BOUNCE_SINK_CRM_ADAPTER": "webhook"})
    assert bad.returncode == 1 and "crm_webhook_url" in bad.stderr
