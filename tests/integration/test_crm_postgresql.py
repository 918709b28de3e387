"""Two sink nodes draining one PostgreSQL outbox: no event claimed twice, per-contact order kept."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from test_crm_support import (
    WebhookReceiver,
    assert_per_contact_order,
    enqueue_events,
    webhook_receiver,
)

from bounce_sink.config import load_settings
from bounce_sink.crm.claims import claim_batch
from bounce_sink.crm.worker import run_sync
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.migrate import upgrade
from bounce_sink.store.models import OutboxEvent

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SECRET = "whsec-pg"


async def test_two_nodes_share_the_outbox_without_sending_anything_twice(postgres_url: str) -> None:
    await upgrade(postgres_url)
    engines = [make_engine(postgres_url), make_engine(postgres_url)]
    makers = [make_sessionmaker(e) for e in engines]
    try:
        made = await enqueue_events(makers[0], contacts=40, per_contact=4)

        # Raw claims racing on two connections: disjoint.
        claimed: dict[int, list[int]] = {0: [], 1: []}

        async def claimer(node: int) -> None:
            for n in range(30):
                batch = await claim_batch(makers[node], f"node{node}:{n}", 9, 60)
                claimed[node].extend(e.id for e in batch)

        await asyncio.gather(claimer(0), claimer(1))
        assert claimed[0] and claimed[1]
        assert not set(claimed[0]) & set(claimed[1])
        async with makers[0]() as session, session.begin():
            for row in (await session.execute(select(OutboxEvent))).scalars():
                row.claimed_until = None
                row.claimed_by = ""

        # Two whole workers, as in two `serve` processes, against one receiver.
        receiver = WebhookReceiver(SECRET)
        with webhook_receiver(receiver):
            settings = [
                load_settings(
                    env={},
                    database_url=postgres_url,
                    crm_adapter="webhook",
                    crm_webhook_url=receiver.url,
                    crm_webhook_secret=SECRET,
                    sync_batch_size=7,
                )
                for _ in range(2)
            ]
            stats = await asyncio.gather(
                run_sync(settings[0], makers[0], follow=False),
                run_sync(settings[1], makers[1], follow=False),
            )
        assert sum(s.delivered for s in stats) == len(made)
        assert receiver.duplicates == 0
        assert set(receiver.applied) == {eid for eid, _ in made}
        assert_per_contact_order(receiver, made)
    finally:
        for e in engines:
            await e.dispose()
