"""Several workers applying policy at once on a shared PostgreSQL store do not race.

Two nodes (or the concurrent workers of one) may process bounces for the
same new address, or the same DSN received twice, at the same moment. The
policy's per-address advisory locks must make that come out as if one after
the other: one contact, one interaction per DSN, the right count.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_policy_support import USER_UNKNOWN, build_dsn, day

from bounce_sink.config import load_settings
from bounce_sink.processing import Processor
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.migrate import upgrade
from bounce_sink.store.models import Contact, Interaction, Message

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_concurrent_workers_make_one_contact_and_count_each_dsn_once(
    postgres_url: str,
) -> None:
    await upgrade(postgres_url)
    settings = load_settings(env={}, database_url=postgres_url)
    engine = make_engine(postgres_url)
    sessionmaker = make_sessionmaker(engine)
    try:
        envelope = Envelope(source="smtp", mail_from="<>", rcpt_tos=("bounces@localhost",))
        raws = [build_dsn("crowd@example.com", day=day(n)) for n in range(1, 9)]
        twice = build_dsn(
            "crowd@example.com", day=day(1, 20), message_id="<twice@mail.example.org>"
        )
        raws += [twice, twice, build_dsn("gone@example.com", day=day(1), failure=USER_UNKNOWN)]
        for raw in raws:
            await store_message(sessionmaker, raw, envelope, store_limit=2 * 1024 * 1024)
        # Two processors, as on two sink nodes, each with several workers.
        first, second = (
            Processor(settings, sessionmaker, concurrency=4),
            Processor(settings, sessionmaker, concurrency=4),
        )
        async with sessionmaker() as session:
            ids = list((await session.execute(select(Message.id).order_by(Message.id))).scalars())
        for message_id in ids:
            (first if message_id % 2 else second).submit(message_id)
        await first.drain()
        await second.drain()
        async with sessionmaker() as session:
            states = {m.state for m in (await session.execute(select(Message))).scalars()}
            contacts = {c.address: c for c in (await session.execute(select(Contact))).scalars()}
            interactions = list((await session.execute(select(Interaction))).scalars())
        assert states == {"parsed"}
        assert set(contacts) == {"crowd@example.com", "gone@example.com"}
        assert len([i for i in interactions if i.address == "crowd@example.com"]) == 9
        crowd = contacts["crowd@example.com"]
        assert (crowd.soft_bounce_count, crowd.bulk_email, crowd.bulk_email_reason) == (
            8,
            "do_not_allow",
            "soft_bounce_limit",
        )
        assert contacts["gone@example.com"].bulk_email == "do_not_allow"
    finally:
        await engine.dispose()
