"""Issue 4's rules, each driven through real SMTP intake and read back from the store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_policy_support import (
    BLOCKED_SENDER_SIDE,
    MAILBOX_FULL_SOFT,
    USER_UNKNOWN,
    Sink,
    build_arf,
    build_delivered,
    build_dsn,
    day,
    sink,
)

from bounce_sink.policy import record_delivery, set_person_address

pytestmark = pytest.mark.integration
__all__ = ["sink"]  # the fixture, imported for pytest


async def test_hard_bounce_sets_do_not_allow_pointing_at_the_interaction(sink: Sink) -> None:
    await sink.send(build_dsn("gone@example.com", day=day(1), failure=USER_UNKNOWN))
    (interaction,) = await sink.interactions("gone@example.com")
    assert (interaction.reason, interaction.severity, interaction.code) == (
        "user_unknown",
        "hard",
        "bounce_hb",
    )
    assert interaction.diagnostic == USER_UNKNOWN[1].format(rcpt="gone@example.com")
    assert interaction.mailing_id == "newsletter-2026-11"
    assert interaction.occurred_at.replace(tzinfo=UTC) == day(1)
    contact = await sink.contact("gone@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.bulk_email_reason) == ("do_not_allow", "hard_bounce")
    assert contact.bulk_email_interaction_id == interaction.id
    person = await sink.person(contact)
    assert person.bulk_email == "do_not_allow"
    audit = await sink.audit()
    assert {(a.entity, a.actor, a.interaction_id) for a in audit} == {
        ("contact", "policy", interaction.id),
        ("person", "policy", interaction.id),
    }
    assert all(a.old_value.startswith("allow") for a in audit)
    types = [e.type for e in await sink.outbox()]
    assert types == ["interaction.recorded", "contact.bulk_email_changed"]
    (changed,) = await sink.outbox("contact.bulk_email_changed")
    assert changed.payload["bulk_email"] == "do_not_allow"
    assert changed.payload["previous"] == "allow"
    assert changed.payload["code"] == "bounce_hb"
    assert changed.ordering_key == "gone@example.com"


@pytest.mark.parametrize(("days", "escalated"), [(5, True), (4, False)])
async def test_soft_bounces_on_distinct_days_escalate_at_the_limit(
    sink: Sink, days: int, escalated: bool
) -> None:
    for n in range(1, days + 1):
        await sink.send(build_dsn("full@example.com", day=day(n), failure=MAILBOX_FULL_SOFT))
    contact = await sink.contact("full@example.com")
    assert contact is not None
    assert contact.soft_bounce_count == days
    if escalated:
        assert (contact.bulk_email, contact.bulk_email_reason) == (
            "do_not_allow",
            "soft_bounce_limit",
        )
        assert (await sink.person(contact)).bulk_email == "do_not_allow"
        last = (await sink.interactions("full@example.com"))[-1]
        assert contact.bulk_email_interaction_id == last.id
    else:
        assert contact.bulk_email == "allow"
        assert await sink.outbox("contact.bulk_email_changed") == []


async def test_soft_bounces_count_once_per_day_by_the_dsn_date(sink: Sink) -> None:
    # Five bounces, but on only three days (two on day 1 and two on day 2).
    for n, hour in [(1, 8), (1, 17), (2, 9), (2, 23), (3, 9)]:
        await sink.send(build_dsn("twice@example.com", day=day(n, hour)))
    interactions = await sink.interactions("twice@example.com")
    assert len(interactions) == 5
    assert [i.counted for i in interactions] == [True, False, True, False, True]
    contact = await sink.contact("twice@example.com")
    assert contact is not None
    assert (contact.soft_bounce_count, contact.bulk_email) == (3, "allow")


async def test_soft_bounces_arriving_out_of_order_count_by_their_own_dates(sink: Sink) -> None:
    # An import of old bounces brings them in any order; one from before a success never counts.
    await sink.send(build_delivered("late@example.com", day=day(2)))
    for n in (5, 3, 1, 4):
        await sink.send(build_dsn("late@example.com", day=day(n)))
    counted = {
        i.occurred_at.replace(tzinfo=UTC): i.counted
        for i in await sink.interactions("late@example.com")
        if i.kind == "bounce"
    }
    assert counted == {day(5): True, day(3): True, day(1): False, day(4): True}
    contact = await sink.contact("late@example.com")
    assert contact is not None
    assert (contact.soft_bounce_count, contact.bulk_email) == (3, "allow")
    assert contact.soft_bounce_first_at is not None and contact.soft_bounce_last_at is not None
    assert contact.soft_bounce_first_at.replace(tzinfo=UTC) == day(3)
    assert contact.soft_bounce_last_at.replace(tzinfo=UTC) == day(5)


async def test_stale_soft_bounces_decay_outside_the_window(sink: Sink) -> None:
    # Five days with bounces, but spread over more than the 30-day window.
    for n in (1, 10, 20, 35, 45):
        await sink.send(build_dsn("slow@example.com", day=day(n)))
    contact = await sink.contact("slow@example.com")
    assert contact is not None
    assert contact.bulk_email == "allow"
    assert contact.soft_bounce_count == 3  # days 20, 35, 45 are within 30 days of day 45


async def test_sender_side_soft_bounces_never_escalate(sink: Sink) -> None:
    for n in range(1, 8):
        await sink.send(build_dsn("blocked@example.com", day=day(n), failure=BLOCKED_SENDER_SIDE))
    interactions = await sink.interactions("blocked@example.com")
    assert {(i.reason, i.side, i.severity) for i in interactions} == {("blocked", "sender", "soft")}
    assert not any(i.counted for i in interactions)
    contact = await sink.contact("blocked@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.soft_bounce_count) == ("allow", 0)


async def test_success_dsn_resets_the_count(sink: Sink) -> None:
    for n in range(1, 5):
        await sink.send(build_dsn("back@example.com", day=day(n)))
    await sink.send(build_delivered("back@example.com", day=day(5)))
    for n in range(6, 10):
        await sink.send(build_dsn("back@example.com", day=day(n)))
    contact = await sink.contact("back@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.soft_bounce_count) == ("allow", 4)
    await sink.send(build_dsn("back@example.com", day=day(10)))
    contact = await sink.contact("back@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.soft_bounce_count) == ("do_not_allow", 5)


async def test_delivery_reported_by_the_sending_side_resets_the_count(sink: Sink) -> None:
    for n in range(1, 5):
        await sink.send(build_dsn("api@example.com", day=day(n)))
    async with sink.sessionmaker() as session, session.begin():
        assert await record_delivery(session, "API@Example.com", day(4, 12), settings=sink.settings)
        assert not await record_delivery(session, "stranger@example.com", day(4, 12))
    await sink.send(build_dsn("api@example.com", day=day(5)))
    contact = await sink.contact("api@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.soft_bounce_count) == ("allow", 1)


async def test_new_address_is_allowed_and_the_old_stays_blocked(sink: Sink) -> None:
    async with sink.sessionmaker() as session, session.begin():
        await set_person_address(session, "crm-42", "old@example.com", "crm")
    await sink.send(build_dsn("old@example.com", day=day(1), failure=USER_UNKNOWN))
    old = await sink.contact("old@example.com")
    assert old is not None
    person = await sink.person(old)
    assert (person.crm_person_id, person.bulk_email) == ("crm-42", "do_not_allow")

    async with sink.sessionmaker() as session, session.begin():
        result = await set_person_address(session, "crm-42", "new@example.com", "crm")
    assert (result.created, result.bulk_email, result.person_bulk_email) == (True, "allow", "allow")
    new, old = await sink.contact("new@example.com"), await sink.contact("old@example.com")
    assert new is not None and old is not None
    assert (new.bulk_email, new.is_primary, new.person_id) == ("allow", True, old.person_id)
    assert (old.bulk_email, old.is_primary) == ("do_not_allow", False)
    person = await sink.person(new)
    assert (person.bulk_email, person.bulk_email_reason) == ("allow", "new_address")
    changes = await sink.outbox("contact.bulk_email_changed")
    assert [(e.payload["bulk_email"], e.payload["person_id"]) for e in changes] == [
        ("do_not_allow", "crm-42"),
        ("allow", "crm-42"),
    ]
    # A bounce of the old, no longer primary address does not block the person again.
    await sink.send(build_dsn("old@example.com", day=day(2), failure=USER_UNKNOWN))
    assert (await sink.person(new)).bulk_email == "allow"


async def test_the_same_dsn_received_twice_makes_one_interaction(sink: Sink) -> None:
    raw = build_dsn("dup@example.com", day=day(1), message_id="<same-dsn@mail.example.org>")
    await sink.send(raw)
    await sink.send(raw)
    assert len(await sink.messages()) == 2  # both kept, as received
    (interaction,) = await sink.interactions("dup@example.com")
    assert interaction.counted
    contact = await sink.contact("dup@example.com")
    assert contact is not None and contact.soft_bounce_count == 1
    assert len(await sink.outbox("interaction.recorded")) == 1


async def test_abuse_complaint_unsubscribes_and_not_spam_is_only_recorded(sink: Sink) -> None:
    await sink.send(build_arf("angry@example.com", day=day(1), feedback_type="abuse"))
    await sink.send(build_arf("happy@example.com", day=day(1), feedback_type="not-spam"))
    angry, happy = await sink.contact("angry@example.com"), await sink.contact("happy@example.com")
    assert angry is not None and happy is not None
    assert (angry.bulk_email, angry.bulk_email_reason) == ("do_not_allow", "complaint")
    assert (await sink.person(angry)).bulk_email == "do_not_allow"
    assert happy.bulk_email == "allow"
    kinds = {(i.address, i.kind, i.feedback_type) for i in await sink.interactions()}
    assert kinds == {
        ("angry@example.com", "complaint", "abuse"),
        ("happy@example.com", "complaint", "not-spam"),
    }


async def test_sender_side_wave_at_one_domain_opens_an_incident_and_suppresses_nobody(
    sink: Sink,
) -> None:
    sink.settings.incident_threshold = 3
    sink.settings.incident_window_minutes = 60
    for n in range(4):
        raw = build_dsn(
            f"user{n}@wave.example.net",
            day=datetime(2026, 10, 1, 9, n * 5, tzinfo=UTC),
            failure=BLOCKED_SENDER_SIDE,
        )
        await sink.send(raw)
    (incident,) = await sink.incidents()
    assert (incident.domain, incident.reason, incident.count, incident.closed_at) == (
        "wave.example.net",
        "blocked",
        4,
        None,
    )
    assert await sink.outbox("contact.bulk_email_changed") == []
    # A second wave hours later is its own incident.
    for n in range(3):
        raw = build_dsn(
            f"user{n}@wave.example.net",
            day=datetime(2026, 10, 1, 15, n, tzinfo=UTC),
            failure=BLOCKED_SENDER_SIDE,
        )
        await sink.send(raw)
    first, second = await sink.incidents()
    assert first.closed_at is not None and second.closed_at is None and second.count == 3


async def test_old_bounces_imported_out_of_order_count_by_their_own_dates(sink: Sink) -> None:
    for n in (5, 3, 1, 4):
        await sink.send(build_dsn("imported@example.com", day=day(n)))
    contact = await sink.contact("imported@example.com")
    assert contact is not None
    assert (contact.soft_bounce_count, contact.bulk_email) == (4, "allow")
    await sink.send(build_dsn("imported@example.com", day=day(2)))
    contact = await sink.contact("imported@example.com")
    assert contact is not None
    assert (contact.soft_bounce_count, contact.bulk_email) == (5, "do_not_allow")


async def test_mail_to_postmaster_is_kept_as_other_and_changes_nobody(sink: Sink) -> None:
    await sink.send(
        build_dsn("someone@example.com", day=day(1), failure=USER_UNKNOWN),
        rcpt="postmaster@localhost",
    )
    (message,) = await sink.messages()
    assert message.state == "other"
    assert await sink.interactions() == []
    assert await sink.contact("someone@example.com") is None


async def test_every_event_the_policy_writes_follows_the_crm_schema(sink: Sink) -> None:
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).parents[2] / "docs" / "crm-events.schema.json").read_text())
    async with sink.sessionmaker() as session, session.begin():
        await set_person_address(session, "crm-9", "schema@example.com", "crm")
    await sink.send(build_dsn("schema@example.com", day=day(1), failure=USER_UNKNOWN))
    await sink.send(build_arf("schema-arf@example.com", day=day(1)))
    async with sink.sessionmaker() as session, session.begin():
        await set_person_address(session, "crm-9", "schema-new@example.com", "crm")
    events = await sink.outbox()
    assert {e.type for e in events} == {"interaction.recorded", "contact.bulk_email_changed"}
    for event in events:
        jsonschema.validate(event.payload, schema)
        assert event.payload["event_id"] == event.event_id


async def test_entering_an_address_known_to_be_dead_blocks_the_person(sink: Sink) -> None:
    async with sink.sessionmaker() as session, session.begin():
        await set_person_address(session, "crm-77", "works@example.com", "crm")
    await sink.send(build_dsn("dead@example.com", day=day(1), failure=USER_UNKNOWN))
    async with sink.sessionmaker() as session, session.begin():
        result = await set_person_address(session, "crm-77", "dead@example.com", "crm")
    assert (result.created, result.bulk_email, result.person_bulk_email) == (
        False,
        "do_not_allow",
        "do_not_allow",
    )
    dead, works = await sink.contact("dead@example.com"), await sink.contact("works@example.com")
    assert dead is not None and works is not None
    assert dead.person_id == works.person_id
    assert (dead.is_primary, works.is_primary, works.bulk_email) == (True, False, "allow")
    person = await sink.person(dead)
    assert (person.bulk_email, person.bulk_email_reason) == ("do_not_allow", "hard_bounce")
    assert person.bulk_email_interaction_id == dead.bulk_email_interaction_id


async def test_auto_reply_is_recorded_as_an_interaction_only(sink: Sink) -> None:
    from test_policy_support import FIXTURES

    raw = (FIXTURES / "autoreply-out-of-office-rfc3834.eml").read_bytes()
    await sink.send(raw)
    (interaction,) = await sink.interactions("away.person@example.com")
    assert (interaction.kind, interaction.reason, interaction.severity, interaction.counted) == (
        "autoreply",
        "vacation",
        "none",
        False,
    )
    assert interaction.diagnostic.startswith("I am out of the office until 23 November")
    contact = await sink.contact("away.person@example.com")
    assert contact is not None and contact.bulk_email == "allow"
    assert [e.type for e in await sink.outbox()] == ["interaction.recorded"]
