"""Forged bounces change nobody: with a signing key, only a DSN to a valid, matching tag counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_policy_support import USER_UNKNOWN, Sink, build_dsn, day, sink

from bounce_sink.policy import set_person_address, verp

pytestmark = pytest.mark.integration
__all__ = ["sink"]

KEY = "policy-test-signing-key"


def _tag(recipient: str, *, issued_days_ago: int = 0, days: int = 60) -> str:
    today = datetime.now(UTC).date() - timedelta(days=issued_days_ago)
    return verp.encode(recipient, "spring-sale", KEY, domain="localhost", days=days, today=today)


async def _victim(sink: Sink) -> None:
    sink.settings.verp_key = KEY
    async with sink.sessionmaker() as session, session.begin():
        await set_person_address(session, "crm-7", "victim@example.com", "crm")


async def _assert_quarantined_and_nobody_changed(sink: Sink, why: str) -> None:
    (message,) = await sink.messages()
    assert message.state == "quarantined"
    assert why in message.quarantine_reason
    victim = await sink.contact("victim@example.com")
    assert victim is not None
    assert (victim.bulk_email, victim.soft_bounce_count) == ("allow", 0)
    assert (await sink.person(victim)).bulk_email == "allow"
    (interaction,) = await sink.interactions()
    assert interaction.quarantined and interaction.contact_id is None and not interaction.counted
    assert await sink.outbox() == []


async def test_missing_tag_is_quarantined(sink: Sink) -> None:
    await _victim(sink)
    await sink.send(build_dsn("victim@example.com", day=day(1), failure=USER_UNKNOWN))
    await _assert_quarantined_and_nobody_changed(sink, "no VERP tag")


async def test_expired_tag_is_quarantined(sink: Sink) -> None:
    await _victim(sink)
    address = _tag("victim@example.com", issued_days_ago=90, days=60)
    await sink.send(
        build_dsn("victim@example.com", day=day(1), failure=USER_UNKNOWN, return_path=address),
        rcpt=address,
    )
    await _assert_quarantined_and_nobody_changed(sink, "expired")


async def test_tag_for_another_recipient_is_quarantined(sink: Sink) -> None:
    await _victim(sink)
    address = _tag("attacker@example.org")
    await sink.send(
        build_dsn("victim@example.com", day=day(1), failure=USER_UNKNOWN, return_path=address),
        rcpt=address,
    )
    await _assert_quarantined_and_nobody_changed(sink, "does not match the VERP tag")


async def test_tampered_tag_is_quarantined(sink: Sink) -> None:
    await _victim(sink)
    good = _tag("victim@example.com")
    local, _, domain = good.partition("@")
    forged = f"{local.replace('spring-sale', 'other-sale')}@{domain}"
    await sink.send(
        build_dsn("victim@example.com", day=day(1), failure=USER_UNKNOWN, return_path=forged),
        rcpt=forged,
    )
    await _assert_quarantined_and_nobody_changed(sink, "signature")


async def test_valid_tag_is_trusted_and_carries_the_mailing(sink: Sink) -> None:
    await _victim(sink)
    address = _tag("Victim@Example.COM")
    await sink.send(
        build_dsn("victim@example.com", day=day(1), failure=USER_UNKNOWN, return_path=address),
        rcpt=address,
    )
    (message,) = await sink.messages()
    assert (message.state, message.quarantine_reason) == ("parsed", "")
    assert message.verp_tag == address.split("+", 1)[1].split("@")[0]
    (interaction,) = await sink.interactions()
    assert (interaction.quarantined, interaction.mailing_id) == (False, "spring-sale")
    victim = await sink.contact("victim@example.com")
    assert victim is not None and victim.bulk_email == "do_not_allow"


async def test_forwarded_recipient_matches_the_tag_by_original_recipient(sink: Sink) -> None:
    # The mail went to victim@, which forwards to inbox@elsewhere; Final-Recipient is the forward target.
    await _victim(sink)
    address = _tag("victim@example.com")
    raw = build_dsn(
        "victim@example.com",
        day=day(1),
        failure=USER_UNKNOWN,
        return_path=address,
        final_recipient="inbox@elsewhere.example.org",
    )
    await sink.send(raw, rcpt=address)
    (message,) = await sink.messages()
    assert message.state == "parsed"
    victim = await sink.contact("victim@example.com")
    assert victim is not None and victim.bulk_email == "do_not_allow"
    assert await sink.contact("inbox@elsewhere.example.org") is None


async def test_without_a_key_plain_bounces_are_trusted(sink: Sink) -> None:
    assert sink.settings.verp_key == ""
    await sink.send(build_dsn("plain@example.com", day=day(1), failure=USER_UNKNOWN))
    (message,) = await sink.messages()
    assert message.state == "parsed"
    plain = await sink.contact("plain@example.com")
    assert plain is not None and plain.bulk_email == "do_not_allow"


async def test_bounce_for_mail_signed_before_a_key_rotation_is_trusted(sink: Sink) -> None:
    await _victim(sink)
    address = _tag("victim@example.com")  # signed with KEY
    sink.settings.verp_key = "the-new-key"
    sink.settings.verp_old_keys = [KEY]
    await sink.send(
        build_dsn("victim@example.com", day=day(1), failure=USER_UNKNOWN, return_path=address),
        rcpt=address,
    )
    (message,) = await sink.messages()
    assert message.state == "parsed", message.quarantine_reason
    victim = await sink.contact("victim@example.com")
    assert victim is not None and victim.bulk_email == "do_not_allow"
