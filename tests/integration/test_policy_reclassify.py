"""Reclassify: improved rules fix stored results, and the policy follows (audited)."""

from __future__ import annotations

import pytest
from test_policy_support import BLOCKED_SENDER_SIDE, USER_UNKNOWN, Sink, build_dsn, day, sink

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.taxonomy import Classification
from bounce_sink.parse import parse_message
from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.policy import apply_report
from bounce_sink.policy.apply import Classifier
from bounce_sink.policy.reclassify import reclassify
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import Message

pytestmark = pytest.mark.integration
__all__ = ["sink"]

ENVELOPE = Envelope(source="import", mail_from="<>", rcpt_tos=("bounces@localhost",))


def _blocked_was_recipient_side(recipient: RecipientStatus, report: Report) -> Classification:
    """Old rules that took a blocklist refusal for a full mailbox (so it counted against the person)."""
    if recipient.status == "5.7.1":
        return Classification("mailbox_full", "recipient", "soft", "bounce_fm", "old.5_7_1_full")
    return classify_recipient(recipient, report)


async def _store_with(sink: Sink, raw: bytes, classify: Classifier | None) -> int:
    message_id = await store_message(sink.sessionmaker, raw, ENVELOPE, store_limit=2 * 1024 * 1024)
    async with sink.sessionmaker() as session, session.begin():
        message = await session.get(Message, message_id)
        assert message is not None
        if classify is None:
            message.state = "unparsed"
            message.error = "old parser gave up"
        else:
            await apply_report(
                session, message, parse_message(raw), sink.settings, classify=classify
            )
    return message_id


async def test_escalation_built_on_sender_side_bounces_is_reversed(sink: Sink) -> None:
    for n in range(1, 6):
        raw = build_dsn("unlucky@example.com", day=day(n), failure=BLOCKED_SENDER_SIDE)
        await _store_with(sink, raw, _blocked_was_recipient_side)
    contact = await sink.contact("unlucky@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.bulk_email_reason) == ("do_not_allow", "soft_bounce_limit")

    result = await reclassify(sink.sessionmaker, sink.settings)
    assert result.errors == []
    assert len(result.changed) == 5
    assert {(c.new["reason"], c.new["side"]) for c in result.changed} == {("blocked", "sender")}
    assert "escalation reversed" in {c.consequence for c in result.changed}
    contact = await sink.contact("unlucky@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.bulk_email_reason, contact.soft_bounce_count) == (
        "allow",
        "reclassify",
        0,
    )
    assert (await sink.person(contact)).bulk_email == "allow"
    assert not any(i.counted for i in await sink.interactions("unlucky@example.com"))
    allow_events = [
        e
        for e in await sink.outbox("contact.bulk_email_changed")
        if e.payload["bulk_email"] == "allow"
    ]
    assert len(allow_events) == 1 and allow_events[0].payload["actor"] == "reclassify"


async def test_a_message_the_old_parser_could_not_read_is_applied(sink: Sink) -> None:
    message_id = await _store_with(
        sink, build_dsn("late@example.com", day=day(1), failure=USER_UNKNOWN), None
    )
    result = await reclassify(sink.sessionmaker, sink.settings)
    assert (result.messages, result.new_interactions, result.errors) == (1, 1, [])
    (message,) = await sink.messages()
    assert (message.id, message.state) == (message_id, "parsed")
    contact = await sink.contact("late@example.com")
    assert contact is not None and contact.bulk_email == "do_not_allow"
