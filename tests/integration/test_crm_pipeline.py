"""Real DSNs through intake's store, processing and policy, then to a webhook: every event matches the schema."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_crm_support import WebhookReceiver, webhook_receiver

from bounce_sink.config import Settings
from bounce_sink.crm.worker import run_sync
from bounce_sink.processing import Processor
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import OutboxEvent

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "crm-events.schema.json").read_text())
FIXTURES = sorted(
    p for d in ("postfix", "intake", "policy") for p in (ROOT / "fixtures" / d).glob("*.eml")
)
SECRET = "whsec-pipeline"


def check_event(payload: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        payload
    )
    datetime.fromisoformat(
        payload["occurred_at"]
    )  # a real timestamp, whatever the format checker knows


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_refuses_what_it_must() -> None:
    good = {
        "version": 1,
        "event_id": "interaction-1",
        "type": "contact.bulk_email_changed",
        "address": "a@example.com",
        "occurred_at": "2026-11-20T10:00:00+00:00",
        "bulk_email": "do_not_allow",
    }
    check_event(good)
    for broken in (
        {**good, "version": 2},
        {**good, "bulk_email": "maybe"},
        {k: v for k, v in good.items() if k != "event_id"},
        {**good, "type": "interaction.recorded"},  # without code, reason, severity, diagnostic ...
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(SCHEMA).validate(broken)


async def test_dsns_become_schema_valid_events_that_all_reach_the_webhook(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    assert len(FIXTURES) >= 8, "the Postfix/intake/policy fixtures are the test data"
    settings.bounce_domains = ["localhost", "bounces.example.org"]
    processor = Processor(settings, sessionmaker)
    for path in FIXTURES:
        message_id = await store_message(
            sessionmaker,
            path.read_bytes(),
            Envelope(source="ingest"),
            store_limit=settings.store_limit,
        )
        await processor.process(message_id)
    async with sessionmaker() as session:
        rows = list((await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars())
    types = {r.type for r in rows}
    assert {"interaction.recorded", "contact.bulk_email_changed"} <= types
    for row in rows:
        check_event(row.payload)
        assert row.payload["event_id"] == row.event_id and row.payload["type"] == row.type
    hard = [r.payload for r in rows if r.type == "contact.bulk_email_changed"]
    assert any(p["bulk_email"] == "do_not_allow" for p in hard)

    settings.crm_adapter = "webhook"
    settings.crm_webhook_secret = SECRET
    with webhook_receiver(WebhookReceiver(SECRET)) as receiver:
        settings.crm_webhook_url = receiver.url
        stats = await run_sync(settings, sessionmaker, follow=False)
    assert stats.delivered == len(rows) and stats.dead == 0
    assert set(receiver.applied) == {r.event_id for r in rows}
    for payload in receiver.applied.values():
        check_event(payload)
    hard_bounces = [
        p
        for p in receiver.applied.values()
        if p["type"] == "interaction.recorded" and p["severity"] == "hard"
    ]
    assert hard_bounces, "a hard-bounce fixture (e.g. domain not found) must reach the CRM"
    assert all(p["code"] in ("bounce_hb", "bounce_df") and p["diagnostic"] for p in hard_bounces)
    assert all(p["dsn_id"] and p["address"] for p in receiver.applied.values())
