"""`serve` runs the sync worker: a DSN received over SMTP reaches the CRM's webhook by itself."""

from __future__ import annotations

import asyncio
import smtplib
from pathlib import Path

import pytest
from test_crm_support import WebhookReceiver, webhook_receiver

from bounce_sink.config import Settings
from bounce_sink.serve import Listening, serve

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
HARD_BOUNCE = ROOT / "fixtures" / "postfix" / "domain-not-found.eml"
SECRET = "whsec-serve"


def send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("", ["bounces@bounces.example.org"], raw)


async def test_a_hard_bounce_received_by_serve_is_pushed_to_the_webhook(settings: Settings) -> None:
    receiver = WebhookReceiver(SECRET)
    with webhook_receiver(receiver):
        settings.smtp_port = 0
        settings.admin_enabled = False
        settings.bounce_domains = ["bounces.example.org"]
        settings.crm_adapter = "webhook"
        settings.crm_webhook_url = receiver.url
        settings.crm_webhook_secret = SECRET
        settings.sync_interval_seconds = 0.05
        ready: asyncio.Future[Listening] = asyncio.get_running_loop().create_future()
        stop = asyncio.Event()
        task = asyncio.create_task(
            serve(settings, stop=stop, handle_signals=False, on_ready=ready.set_result)
        )
        try:
            listening = await asyncio.wait_for(ready, 20)
            assert "crm-sync" in listening.components
            await asyncio.to_thread(send, listening.smtp[1], HARD_BOUNCE.read_bytes())
            async with asyncio.timeout(20):
                while len(receiver.applied) < 2:  # noqa: ASYNC110 - receiver thread state
                    await asyncio.sleep(0.05)
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
    types = sorted(e["type"] for e in receiver.applied.values())
    assert types == ["contact.bulk_email_changed", "interaction.recorded"]
    changed = next(
        e for e in receiver.applied.values() if e["type"] == "contact.bulk_email_changed"
    )
    assert changed["bulk_email"] == "do_not_allow"
    assert changed["address"] == "someone@no-such-domain.example.com"
    assert receiver.bad_signatures == 0
