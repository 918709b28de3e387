"""The inbound CRM endpoint on a real uvicorn server: address changes re-allow bulk email per policy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.routing import Mount

from bounce_sink.config import Settings
from bounce_sink.crm.inbound import inbound_routes
from bounce_sink.processing import Processor
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import Contact, OutboxEvent, Person

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
HARD_BOUNCE = ROOT / "fixtures" / "postfix" / "domain-not-found.eml"
BOUNCED = "someone@no-such-domain.example.com"
TOKEN = "inbound-token-abc"


@pytest.fixture
async def base_url(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[str]:
    settings.crm_inbound_token = TOKEN
    app = Starlette(routes=[Mount("/api/crm", routes=inbound_routes(settings, sessionmaker))])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
                await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/api/crm"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def hard_bounce(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    message_id = await store_message(
        sessionmaker,
        HARD_BOUNCE.read_bytes(),
        Envelope(source="ingest"),
        store_limit=settings.store_limit,
    )
    assert await Processor(settings, sessionmaker).process(message_id) == "parsed"


async def person(sessionmaker: async_sessionmaker[AsyncSession], crm_id: str) -> Person:
    async with sessionmaker() as session:
        found = (
            await session.execute(select(Person).where(Person.crm_person_id == crm_id))
        ).scalar_one()
        return found


async def test_new_address_from_the_crm_re_allows_bulk_email_and_tells_the_crm(
    base_url: str, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await hard_bounce(settings, sessionmaker)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient() as client:
        # The CRM names the person behind the bounced address ...
        named = await client.post(
            f"{base_url}/address-change",
            json={"person_id": "P-1", "address": BOUNCED},
            headers=auth,
        )
        assert named.status_code == 200, named.text
        assert named.json()["person_bulk_email"] == "do_not_allow"
        # ... then someone enters a new address for that person in the CRM.
        moved = await client.post(
            f"{base_url}/address-change",
            json={"person_id": "P-1", "address": "New.Address@Example.org"},
            headers=auth,
        )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["ok"] is True and body["address"] == "New.Address@example.org"
    assert body["person_bulk_email"] == "allow" and body["bulk_email"] == "allow"
    assert (await person(sessionmaker, "P-1")).bulk_email == "allow"
    async with sessionmaker() as session:
        old = (
            await session.execute(select(Contact).where(Contact.address == BOUNCED))
        ).scalar_one()
        events = list(
            (await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars()
        )
    assert old.bulk_email == "do_not_allow"  # the bounced address stays suppressed
    allowed = [
        e.payload
        for e in events
        if e.type == "contact.bulk_email_changed" and e.payload["bulk_email"] == "allow"
    ]
    assert allowed and allowed[-1]["person_id"] == "P-1" and allowed[-1]["actor"] == "crm"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
    ],
    ids=["no-token", "wrong-token", "wrong-scheme"],
)
async def test_requests_without_the_token_are_refused_and_change_nothing(
    base_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    headers: dict[str, str],
    status: int,
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{base_url}/address-change",
            json={"person_id": "P-2", "address": "a@example.org"},
            headers=headers,
        )
    assert answer.status_code == status
    assert answer.headers["www-authenticate"].startswith("Bearer")
    async with sessionmaker() as session:
        assert (await session.execute(select(Person))).first() is None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1,2]",
        b'{"person_id": "P-3"}',
        b'{"person_id": "", "address": "a@example.org"}',
        b'{"person_id": "P-3", "address": "no-at-sign"}',
    ],
)
async def test_malformed_requests_get_400_with_a_reason(base_url: str, body: bytes) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{base_url}/address-change", content=body, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert answer.status_code == 400
    assert answer.json()["ok"] is False and answer.json()["error"]


async def test_endpoint_is_closed_when_no_token_is_configured(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    settings.crm_inbound_token = ""
    settings.admin_token = ""
    app = Starlette(routes=[Mount("/api/crm", routes=inbound_routes(settings, sessionmaker))])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sink"
    ) as client:
        answer = await client.post(
            "/api/crm/address-change", json={"person_id": "P", "address": "a@example.org"}
        )
    assert answer.status_code == 403
    assert "crm_inbound_token" in answer.json()["error"]
