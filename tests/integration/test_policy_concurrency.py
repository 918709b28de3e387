"""Several bounces for one new address processed at once make one contact and count right."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_policy_support import Sink, build_dsn, day, sink

from bounce_sink.config import Settings
from bounce_sink.processing import Processor
from bounce_sink.store.messages import Envelope, store_message

pytestmark = pytest.mark.integration
__all__ = ["sink"]


async def test_concurrent_processing_of_one_new_address(
    sink: Sink, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    envelope = Envelope(source="smtp", mail_from="<>", rcpt_tos=("bounces@localhost",))
    raws = [build_dsn("crowd@example.com", day=day(n)) for n in range(1, 9)]
    raws.append(raws[0])  # and one duplicate
    for raw in raws:
        await store_message(sessionmaker, raw, envelope, store_limit=2 * 1024 * 1024)
    processor = Processor(settings, sessionmaker, concurrency=4)
    assert await processor.sweep() == len(raws)
    states = {m.state for m in await sink.messages()}
    assert states == {"parsed"}
    assert len(await sink.interactions("crowd@example.com")) == 8
    contact = await sink.contact("crowd@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.bulk_email_reason) == ("do_not_allow", "soft_bounce_limit")
