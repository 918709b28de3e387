"""The policy commands as a user runs them (`bounce-sink ...` subprocesses) over a store filled by SMTP."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select
from test_policy_support import (
    MAILBOX_FULL_SOFT,
    USER_UNKNOWN,
    Sink,
    build_arf,
    build_dsn,
    day,
    sink,
)

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.taxonomy import Classification
from bounce_sink.parse import parse_message
from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.policy import apply_report
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import Message, OutreachListMember

pytestmark = pytest.mark.integration
__all__ = ["sink"]

BOUNCE_SINK = Path(sys.executable).with_name("bounce-sink")


async def _cli(
    sink: Sink, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "BOUNCE_SINK_LOG_LEVEL": "warning", **(env or {})}
    full_env.pop("BOUNCE_SINK_CONFIG", None)
    return await asyncio.to_thread(
        subprocess.run,
        [str(BOUNCE_SINK), "--database", sink.settings.database_url, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=full_env,
    )


async def _resend_scenario(sink: Sink) -> None:
    for address in ("keep@example.com", "later-hard@example.com", "complained@example.com"):
        await sink.send(build_dsn(address, day=day(1), failure=MAILBOX_FULL_SOFT))
    await sink.send(build_dsn("other-mailing@example.com", day=day(1), mailing_id="october-promo"))
    await sink.send(build_dsn("later-hard@example.com", day=day(3), failure=USER_UNKNOWN))
    await sink.send(build_arf("complained@example.com", day=day(4), feedback_type="abuse"))


async def test_soft_bounces_lists_only_recipients_still_eligible(sink: Sink) -> None:
    await _resend_scenario(sink)
    done = await _cli(sink, "soft-bounces", "--mailing", "newsletter-2026-11", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["address"] for r in rows] == ["keep@example.com"]
    assert (rows[0]["reason"], rows[0]["code"], rows[0]["mailing_id"]) == (
        "mailbox_full",
        "bounce_fm",
        "newsletter-2026-11",
    )

    done = await _cli(sink, "soft-bounces", "--since", "2026-10-01", "--until", "2026-10-02")
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert sorted(r["address"] for r in table) == ["keep@example.com", "other-mailing@example.com"]
    done = await _cli(sink, "soft-bounces", "--since", "2026-10-02", "--json")
    assert done.stdout == ""


async def test_soft_bounces_adds_them_to_an_outreach_list_once(sink: Sink) -> None:
    await _resend_scenario(sink)
    for expected in (1, 0):
        done = await _cli(
            sink,
            "soft-bounces",
            "--mailing",
            "newsletter-2026-11",
            "--add-to-list",
            "resend-november",
        )
        assert done.returncode == 0, done.stderr
        assert f"added {expected} of 1 to outreach list 'resend-november'" in done.stderr
    async with sink.sessionmaker() as session:
        members = list((await session.execute(select(OutreachListMember))).scalars())
    assert len(members) == 1
    (event,) = await sink.outbox("outreach_list.member_added")
    assert (event.payload["list_name"], event.payload["address"]) == (
        "resend-november",
        "keep@example.com",
    )
    assert event.event_id == f"outreach-member-{members[0].id}"
    schema = json.loads((Path(__file__).parents[2] / "docs" / "crm-events.schema.json").read_text())
    jsonschema.validate(event.payload, schema)


async def test_contacts_show_and_allow_reverse_a_wrong_decision_with_an_audit_trail(
    sink: Sink,
) -> None:
    await sink.send(build_dsn("wrong@example.com", day=day(1), failure=USER_UNKNOWN))
    shown = json.loads((await _cli(sink, "contacts", "show", "WRONG@example.com", "--json")).stdout)
    assert (shown["bulk_email"], shown["why"]) == ("do_not_allow", "hard_bounce")
    assert shown["interaction"]["reason"] == "user_unknown"
    assert shown["interaction"]["diagnostic"] == USER_UNKNOWN[1].format(rcpt="wrong@example.com")

    refused = await _cli(sink, "contacts", "allow", "wrong@example.com", "--actor", "admin:ana")
    assert refused.returncode != 0 and "--why" in refused.stderr
    done = await _cli(
        sink,
        "contacts",
        "allow",
        "wrong@example.com",
        "--why",
        "mailbox exists, checked by phone",
        "--actor",
        "admin:ana",
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads((await _cli(sink, "contacts", "show", "wrong@example.com", "--json")).stdout)
    assert (shown["bulk_email"], shown["why"], shown["person"]["bulk_email"]) == (
        "allow",
        "admin",
        "allow",
    )
    last = shown["audit"][-1]
    assert (last["actor"], last["why"], last["old"]) == (
        "admin:ana",
        "mailbox exists, checked by phone",
        "do_not_allow (hard_bounce)",
    )
    assert (await sink.outbox("contact.bulk_email_changed"))[-1].payload["bulk_email"] == "allow"
    unknown = await _cli(sink, "contacts", "show", "nobody@example.com")
    assert unknown.returncode == 1 and "no contact" in unknown.stderr


async def test_verp_encode_and_verify(sink: Sink) -> None:
    env = {"BOUNCE_SINK_VERP_KEY": "cli-key"}
    done = await _cli(
        sink, "verp", "encode", "--recipient", "r@example.com", "--mailing", "m-1", env=env
    )
    assert done.returncode == 0, done.stderr
    address = done.stdout.strip()
    assert address.startswith("bounces+m-1.") and address.endswith("@localhost")
    assert len(address.split("@")[0]) <= 64
    ok = await _cli(
        sink, "verp", "verify", address, "--recipient", "R@example.com", "--json", env=env
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["recipient_matches"] is True
    wrong = await _cli(sink, "verp", "verify", address, "--recipient", "x@example.com", env=env)
    assert wrong.returncode == 1 and "does NOT match" in wrong.stdout
    other_key = await _cli(sink, "verp", "verify", address, env={"BOUNCE_SINK_VERP_KEY": "another"})
    assert other_key.returncode == 1
    no_key = await _cli(sink, "verp", "encode", "--recipient", "r@example.com", "--mailing", "m")
    assert no_key.returncode == 1 and "verp_key" in no_key.stderr


def _old_rules(recipient: RecipientStatus, report: Report) -> Classification:
    """Yesterday's rules: took any 5.2.2 for a dead mailbox (the kind of mistake reclassify fixes)."""
    if recipient.status == "5.2.2":
        return Classification("user_unknown", "recipient", "hard", "bounce_hb", "old.5_2_2_is_dead")
    return classify_recipient(recipient, report)


async def test_reclassify_fixes_old_results_and_reverses_through_the_policy(sink: Sink) -> None:
    raw = build_dsn("misjudged@example.com", day=day(1), failure=MAILBOX_FULL_SOFT)
    envelope = Envelope(source="import", mail_from="<>", rcpt_tos=("bounces@localhost",))
    message_id = await store_message(sink.sessionmaker, raw, envelope, store_limit=2 * 1024 * 1024)
    async with sink.sessionmaker() as session, session.begin():
        message = await session.get(Message, message_id)
        assert message is not None
        await apply_report(session, message, parse_message(raw), sink.settings, classify=_old_rules)
    contact = await sink.contact("misjudged@example.com")
    assert contact is not None and contact.bulk_email == "do_not_allow"

    done = await _cli(sink, "reclassify", "--json")
    assert done.returncode == 0, done.stderr
    *changes, summary = [json.loads(line) for line in done.stdout.splitlines()]
    assert summary["summary"] == {"messages": 1, "changed": 1, "new_interactions": 0, "errors": []}
    (change,) = changes
    assert (change["old"]["reason"], change["old"]["severity"]) == ("user_unknown", "hard")
    assert (change["new"]["reason"], change["new"]["severity"]) == ("mailbox_full", "soft")
    assert change["consequence"] == "re-allowed"
    contact = await sink.contact("misjudged@example.com")
    assert contact is not None
    assert (contact.bulk_email, contact.bulk_email_reason, contact.soft_bounce_count) == (
        "allow",
        "reclassify",
        1,
    )
    assert (await sink.person(contact)).bulk_email == "allow"
    (interaction,) = await sink.interactions("misjudged@example.com")
    assert (interaction.reason, interaction.severity, interaction.code, interaction.counted) == (
        "mailbox_full",
        "soft",
        "bounce_fm",
        True,
    )
    trail = [
        (a.entity, a.field, a.old_value, a.new_value)
        for a in await sink.audit()
        if a.actor == "reclassify"
    ]
    assert ("interaction", "reason", "user_unknown", "mailbox_full") in trail
    assert ("interaction", "severity", "hard", "soft") in trail
    assert any(
        e == "contact" and f == "bulk_email" and n.startswith("allow") for e, f, _o, n in trail
    )

    again = await _cli(sink, "reclassify", "--json")
    assert json.loads(again.stdout.splitlines()[-1])["summary"]["changed"] == 0


async def test_contacts_add_address_and_delivered(sink: Sink) -> None:
    done = await _cli(
        sink,
        "contacts",
        "add-address",
        "crm-5",
        "Pat@Example.COM",
        "--actor",
        "crm:import",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "person_id": "crm-5",
        "address": "Pat@example.com",
        "created": True,
        "bulk_email": "allow",
        "person_bulk_email": "allow",
    }
    for n in (1, 2):
        await sink.send(build_dsn("Pat@example.com", day=day(n)))
    contact = await sink.contact("Pat@example.com")
    assert contact is not None and contact.soft_bounce_count == 2
    done = await _cli(
        sink, "contacts", "delivered", "pat@example.com", "--at", "2026-10-03T08:00:00"
    )
    assert done.returncode == 0 and "soft-bounce count reset" in done.stdout
    shown = json.loads((await _cli(sink, "contacts", "show", "Pat@example.com", "--json")).stdout)
    assert (shown["soft_bounce_count"], shown["last_success_at"]) == (
        0,
        "2026-10-03T08:00:00+00:00",
    )
    assert shown["person"]["crm_person_id"] == "crm-5"
    assert ("crm:import", "address") in {(a["actor"], a["field"]) for a in shown["audit"]}


@pytest.mark.parametrize(
    ("person_id", "address"),
    [
        ("crm-6", "two words@example.com"),
        ("crm-6", "@example.com"),
        ("crm-6", "nobody@"),
        ("crm-6", "x" * 600 + "@example.com"),
        ("p" * 129, "fine@example.com"),
    ],
    ids=["space", "no-local-part", "no-domain", "too-long", "long-person-id"],
)
async def test_contacts_add_address_refuses_what_the_crm_endpoint_refuses(
    sink: Sink, person_id: str, address: str
) -> None:
    from bounce_sink.crm.address_change import AddressChange, AddressChangeRejected

    with pytest.raises(AddressChangeRejected) as refused:
        AddressChange.checked(person_id, address)
    done = await _cli(sink, "contacts", "add-address", person_id, address)
    assert done.returncode == 1
    assert str(refused.value) in done.stderr
    assert await sink.contact(address) is None
