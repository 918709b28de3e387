"""The Dataverse adapter against a Dataverse-shaped server on loopback that checks every request's shape."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_crm_support import DataverseServer, dataverse_server, interaction_payload

from bounce_sink.config import Settings
from bounce_sink.crm.adapter import OutboundEvent, Outcome
from bounce_sink.crm.dataverse import DataverseAdapter
from bounce_sink.crm.outbox import enqueue
from bounce_sink.crm.worker import run_sync
from bounce_sink.store.models import OutboxEvent

pytestmark = pytest.mark.integration


def configure(settings: Settings, server: DataverseServer) -> Settings:
    settings.crm_adapter = "dataverse"
    settings.crm_dataverse_url = server.api_url
    settings.crm_dataverse_token_url = server.token_url
    settings.crm_dataverse_client_id = server.client_id
    settings.crm_dataverse_client_secret = server.client_secret
    settings.sync_backoff_base_seconds = 0.01
    settings.sync_backoff_max_seconds = 0.05
    settings.sync_http_timeout_seconds = 2.0
    return settings


def adapter_for(server: DataverseServer) -> DataverseAdapter:
    return DataverseAdapter(
        server.api_url, server.token_url, server.client_id, server.client_secret, timeout=2.0
    )


def bulk_email(address: str, n: int, value: str = "do_not_allow") -> dict[str, object]:
    return {
        "person_id": None,
        "address": address,
        "bulk_email": value,
        "previous": "allow",
        "reason": "user_unknown",
        "occurred_at": "2026-11-20T10:00:00+00:00",
        "dsn_id": n,
    }


async def enqueue_hard_bounce(
    sessionmaker: async_sessionmaker[AsyncSession], address: str, n: int
) -> None:
    async with sessionmaker() as session, session.begin():
        enqueue(
            session,
            "interaction.recorded",
            address,
            interaction_payload(address, n),
            event_id=f"interaction-{n}",
        )
        enqueue(
            session,
            "contact.bulk_email_changed",
            address,
            bulk_email(address, n),
            event_id=f"bulk-email-{n}",
        )


async def outbox(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxEvent]:
    async with sessionmaker() as session:
        return list((await session.execute(select(OutboxEvent).order_by(OutboxEvent.id))).scalars())


async def test_hard_bounce_sets_donotbulkemail_and_records_a_note(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with dataverse_server(DataverseServer()) as server:
        ann = server.add_contact("ann@example.com")
        bob = server.add_contact("Bob@Example.com")
        await enqueue_hard_bounce(sessionmaker, "ann@example.com", 1)
        await enqueue_hard_bounce(sessionmaker, "bob@example.com", 2)
        stats = await run_sync(configure(settings, server), sessionmaker, follow=False)
    assert server.shape_errors == []
    assert stats.delivered == 4 and stats.dead == 0
    assert server.contacts[ann]["donotbulkemail"] is True
    assert server.contacts[bob]["donotbulkemail"] is True
    notes = {a["objectid"]: a for a in server.annotations}
    assert set(notes) == {ann, bob}
    assert "550 5.1.1 <ann@example.com>" in notes[ann]["notetext"]
    assert "[interaction-1]" in notes[ann]["subject"] and "bounce_hb" in notes[ann]["subject"]
    assert len(server.tokens_issued) == 1  # one token serves the whole run
    # per contact, the note (event 1) is written before the flag (event 2)
    ann_calls = [c for c in server.log if c[0] in ("POST", "PATCH")]
    assert ann_calls.index(("POST", "/api/data/v9.2/annotations")) < ann_calls.index(
        ("PATCH", f"/api/data/v9.2/contacts({ann})")
    )


@pytest.mark.parametrize("column", ["emailaddress2", "emailaddress3"])
async def test_contact_found_by_its_second_or_third_address(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], column: str
) -> None:
    # A mailing may go to any of a contact's e-mail columns; the bounce must
    # still reach that contact, and no one whose column merely differs.
    with dataverse_server(DataverseServer()) as server:
        cy = server.add_contact("Cy.Work@Example.com", field=column)
        other = server.add_contact("cy@example.org")
        await enqueue_hard_bounce(sessionmaker, "cy.work@example.com", 1)
        stats = await run_sync(configure(settings, server), sessionmaker, follow=False)
    assert server.shape_errors == []
    assert stats.delivered == 2 and stats.dead == 0
    assert server.contacts[cy]["donotbulkemail"] is True
    assert server.contacts[other]["donotbulkemail"] is False
    assert [a["objectid"] for a in server.annotations] == [cy]


async def test_redelivered_interaction_makes_no_second_note(settings: Settings) -> None:
    with dataverse_server(DataverseServer()) as server:
        cid = server.add_contact("ann@example.com")
        adapter = adapter_for(server)
        event = OutboundEvent(
            1,
            "interaction-9",
            "interaction.recorded",
            "ann@example.com",
            {
                "version": 1,
                "event_id": "interaction-9",
                "type": "interaction.recorded",
                **interaction_payload("ann@example.com", 9),
            },
        )
        try:
            first = await adapter.deliver([event])
            again = await adapter.deliver([event])
        finally:
            await adapter.aclose()
    assert [r.outcome for r in first + again] == [Outcome.DELIVERED, Outcome.DELIVERED]
    assert [a["objectid"] for a in server.annotations] == [cid]
    assert server.shape_errors == []


async def test_person_id_is_used_as_the_contactid_without_a_lookup(settings: Settings) -> None:
    with dataverse_server(DataverseServer()) as server:
        cid = server.add_contact("someone-else@example.com")
        adapter = adapter_for(server)
        payload = {
            "version": 1,
            "event_id": "bulk-email-3",
            "type": "contact.bulk_email_changed",
            **bulk_email("ann@example.com", 3),
            "person_id": cid.upper(),
        }
        try:
            (result,) = await adapter.deliver(
                [OutboundEvent(1, "bulk-email-3", "contact.bulk_email_changed", "x", payload)]
            )
        finally:
            await adapter.aclose()
    assert result.outcome is Outcome.DELIVERED, result.error
    assert server.contacts[cid]["donotbulkemail"] is True
    assert not any(path.startswith("/api/data/v9.2/contacts?") for _, path in server.log)


async def test_expired_token_is_refreshed_once_and_the_request_repeated(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with dataverse_server(DataverseServer()) as server:
        cid = server.add_contact("ann@example.com")
        adapter = adapter_for(server)
        try:
            await enqueue_hard_bounce(sessionmaker, "ann@example.com", 1)
            await run_sync(configure(settings, server), sessionmaker, follow=False, adapter=adapter)
            assert len(server.tokens_issued) == 1
            server.expire_tokens()  # the token dies between two runs
            await enqueue_hard_bounce(sessionmaker, "ann@example.com", 2)
            adapter2 = adapter_for(server)
            adapter2._token = server.tokens_issued[0]  # a cached token the server no longer accepts
            adapter2._token_expires = float("inf")
            stats = await run_sync(settings, sessionmaker, follow=False, adapter=adapter2)
        finally:
            await adapter.aclose()
    assert stats.delivered == 2 and stats.retried == 0
    assert len(server.tokens_issued) == 2
    assert adapter2.token_fetches == 1
    assert len([a for a in server.annotations if a["objectid"] == cid]) == 2
    assert server.shape_errors == []


async def test_wrong_client_secret_retries_and_never_dead_letters(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with dataverse_server(DataverseServer()) as server:
        server.add_contact("ann@example.com")
        await enqueue_hard_bounce(sessionmaker, "ann@example.com", 1)
        configure(settings, server).crm_dataverse_client_secret = "wrong"
        stats = await run_sync(settings, sessionmaker, follow=False)
    assert (
        stats.delivered == 0 and stats.dead == 0 and stats.retried == 1
    )  # one per contact in flight
    rows = await outbox(sessionmaker)
    assert "token endpoint answered HTTP 401" in rows[0].last_error


async def test_throttling_429_is_retried_after_retry_after_and_the_rest_of_the_batch_waits(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with dataverse_server(DataverseServer()) as server:
        server.add_contact("ann@example.com")
        server.add_contact("bob@example.com")
        await enqueue_hard_bounce(sessionmaker, "ann@example.com", 1)
        await enqueue_hard_bounce(sessionmaker, "bob@example.com", 2)
        server.throttle_next = 1
        stats = await run_sync(configure(settings, server), sessionmaker, follow=False)
        assert stats.retried == 2 and stats.delivered == 0  # bob's event was not even tried
        assert sum(1 for method, path in server.log if path.startswith("/api/data")) == 1
        rows = [r for r in await outbox(sessionmaker) if r.attempts]
        assert all(
            r.next_attempt_at is not None
            and (r.next_attempt_at - r.created_at).total_seconds() >= 0.9
            for r in rows
        )
    assert server.shape_errors == []


async def test_unknown_contact_is_a_dead_letter_and_other_contacts_go_through(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with dataverse_server(DataverseServer()) as server:
        bob = server.add_contact("bob@example.com")
        await enqueue_hard_bounce(sessionmaker, "nobody@example.com", 1)
        await enqueue_hard_bounce(sessionmaker, "bob@example.com", 2)
        stats = await run_sync(configure(settings, server), sessionmaker, follow=False)
    assert stats.dead == 2 and stats.delivered == 2
    dead = [r for r in await outbox(sessionmaker) if r.dead]
    assert {r.ordering_key for r in dead} == {"nobody@example.com"}
    assert "no contact with 'nobody@example.com' in emailaddress1, 2 or 3" in dead[0].last_error
    assert server.contacts[bob]["donotbulkemail"] is True


async def test_outreach_list_member_added_uses_add_member_list(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with dataverse_server(DataverseServer()) as server:
        cid = server.add_contact("o'neil@example.com")
        lid = server.add_list("Resend: November newsletter")
        async with sessionmaker() as session, session.begin():
            enqueue(
                session,
                "outreach_list.member_added",
                "o'neil@example.com",
                {
                    "person_id": None,
                    "address": "o'neil@example.com",
                    "list_name": "Resend: November newsletter",
                    "occurred_at": "2026-11-20T10:00:00+00:00",
                },
                event_id="outreach-member-1",
            )
            enqueue(
                session,
                "outreach_list.member_added",
                "o'neil@example.com",
                {
                    "person_id": None,
                    "address": "o'neil@example.com",
                    "list_name": "No such list",
                    "occurred_at": "2026-11-20T10:00:00+00:00",
                },
                event_id="outreach-member-2",
            )
        stats = await run_sync(configure(settings, server), sessionmaker, follow=False)
    assert server.shape_errors == []
    assert server.members == [(lid, cid)]
    assert stats.delivered == 1 and stats.dead == 1
