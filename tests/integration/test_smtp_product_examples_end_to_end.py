"""The four examples of the product documentation: SMTP in, contact status out.

Each DSN goes through the real path: smtplib -> intake server on loopback ->
store -> processing (parse, classify, policy) -> contacts and interactions.
Both the DSNs a real Postfix produced (fixtures/postfix) and the Postfix-style
ones carrying the documentation's exact texts (fixtures/intake) are used.
"""

from __future__ import annotations

import asyncio
import smtplib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.processing import Processor
from bounce_sink.smtp import bound_port, start_smtp_server
from bounce_sink.store.models import Contact, Interaction, Message

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[2] / "fixtures"

# file, failed recipient, reason, severity, code, bulk email afterwards
EXAMPLES = [
    ("postfix/mailbox-full-552-5.2.2.eml", "full-mailbox@example.com",
     "mailbox_full", "soft", "bounce_fm", "allow"),
    ("postfix/disabled-550-5.2.1.eml", "disabled-account@example.com",
     "suspend", "soft", "bounce_tr", "allow"),
    ("postfix/user-unknown-550-no-such-recipient.eml", "no-such-user@example.com",
     "user_unknown", "hard", "bounce_hb", "do_not_allow"),
    ("postfix/domain-not-found.eml", "someone@no-such-domain.example.com",
     "host_unknown", "hard", "bounce_df", "do_not_allow"),
    ("intake/postfix-mailbox-full-552-5.2.2.eml", "full.person@example.com",
     "mailbox_full", "soft", "bounce_fm", "allow"),
    ("intake/postfix-disabled-550-5.2.1.eml", "disabled.person@example.com",
     "suspend", "soft", "bounce_tr", "allow"),
    ("intake/postfix-no-such-recipient-550.eml", "nobody.here@example.com",
     "user_unknown", "hard", "bounce_hb", "do_not_allow"),
    ("intake/postfix-domain-name-does-not-exist.eml", "someone@no-such-domain.example",
     "host_unknown", "hard", "bounce_df", "do_not_allow"),
]  # fmt: skip


def _send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("mta.example.org")
        assert client.sendmail("", ["bounces@bounces.example.org"], raw) == {}


@pytest.mark.parametrize(
    ("fixture", "address", "reason", "severity", "code", "bulk_email"),
    EXAMPLES,
    ids=[e[0] for e in EXAMPLES],
)
async def test_product_doc_example_end_to_end(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    fixture: str,
    address: str,
    reason: str,
    severity: str,
    code: str,
    bulk_email: str,
) -> None:
    settings.bounce_domains = ["bounces.example.org"]
    processor = Processor(settings, sessionmaker)
    server = await start_smtp_server(
        settings, sessionmaker, on_stored=processor.submit, host="127.0.0.1", port=0
    )
    try:
        await asyncio.to_thread(_send, bound_port(server), (FIXTURES / fixture).read_bytes())
        await processor.drain()
    finally:
        server.close()
        await server.wait_closed()

    async with sessionmaker() as session:
        (message,) = (await session.execute(select(Message))).scalars()
        interactions = list((await session.execute(select(Interaction))).scalars())
        contact = await session.scalar(select(Contact).where(Contact.address == address))
    assert message.state == "parsed", message.error
    assert [(i.address, i.reason, i.severity, i.code) for i in interactions] == [
        (address, reason, severity, code)
    ]
    assert interactions[0].rule  # the admin can see why
    assert contact is not None
    assert contact.bulk_email == bulk_email
    if bulk_email == "do_not_allow":
        assert contact.bulk_email_interaction_id == interactions[0].id
