"""Who to send a mailing again: soft-bounced recipients still eligible, and Outreach Lists.

A soft bounce (full mailbox, a provider blocking us for a while) says the
mail did not arrive, not that the person is gone. After the cause passes, the
sending side wants the list of those recipients, minus anyone who has since
hard-bounced, complained or been set to do_not_allow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bounce_sink.policy import events
from bounce_sink.policy.bulk_email import ALLOW
from bounce_sink.store.models import Contact, Interaction, OutreachList, OutreachListMember, Person
from bounce_sink.store.utc import as_utc


@dataclass(frozen=True)
class ResendCandidate:
    """One recipient to send to again, with the soft bounce that makes it one."""

    address: str
    person_id: str | None  # the CRM's id, when known
    mailing_id: str
    reason: str
    side: str
    code: str | None
    status: str
    diagnostic: str
    occurred_at: datetime
    interaction_id: int
    dsn_id: int
    contact_id: int

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["occurred_at"] = as_utc(self.occurred_at).isoformat()
        return data


# The columns a resend list is written with (CSV, JSON lines): every field but
# the sink's own contact row id, in declaration order.
FIELDS = [f.name for f in fields(ResendCandidate) if f.name != "contact_id"]


async def soft_bounced_recipients(
    session: AsyncSession,
    *,
    mailing_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ResendCandidate]:
    """Soft-bounced recipients (latest soft bounce each) still eligible for a resend.

    Not eligible: the address or person is do_not_allow, or the address has
    hard-bounced or complained after that soft bounce.
    """
    later = aliased(Interaction)
    disqualified = exists().where(
        later.contact_id == Interaction.contact_id,
        later.occurred_at >= Interaction.occurred_at,
        later.quarantined.is_(False),
        later.superseded_by.is_(None),
        (later.severity == "hard") | (later.kind == "complaint"),
    )
    query = (
        select(Interaction, Contact, Person)
        .join(Contact, Contact.id == Interaction.contact_id)
        .outerjoin(Person, Person.id == Contact.person_id)
        .where(
            Interaction.kind == "bounce",
            Interaction.severity == "soft",
            Interaction.quarantined.is_(False),
            Interaction.superseded_by.is_(None),
            Contact.bulk_email == ALLOW,
            Person.id.is_(None) | (Person.bulk_email == ALLOW),
            ~disqualified,
        )
        .order_by(Contact.address, Interaction.occurred_at.desc(), Interaction.id.desc())
    )
    if mailing_id is not None:
        query = query.where(Interaction.mailing_id == mailing_id)
    if since is not None:
        query = query.where(Interaction.occurred_at >= since)
    if until is not None:
        query = query.where(Interaction.occurred_at < until)
    seen: set[int] = set()
    found: list[ResendCandidate] = []
    for interaction, contact, person in (await session.execute(query)).tuples():
        if contact.id in seen:
            continue
        seen.add(contact.id)
        found.append(
            ResendCandidate(
                address=contact.address,
                person_id=person.crm_person_id if person else None,
                mailing_id=interaction.mailing_id,
                reason=interaction.reason,
                side=interaction.side,
                code=interaction.code,
                status=interaction.status,
                diagnostic=interaction.diagnostic,
                occurred_at=interaction.occurred_at,
                interaction_id=interaction.id,
                dsn_id=interaction.message_id,
                contact_id=contact.id,
            )
        )
    return found


async def add_to_outreach_list(
    session: AsyncSession, name: str, candidates: list[ResendCandidate]
) -> int:
    """Add candidates to the named Outreach List (created if new); the number newly added.

    Each new member writes an `outreach_list.member_added` event, so the CRM
    builds the same list. Existing members are left alone. Does not commit.
    """
    if not name.strip():
        raise ValueError("an Outreach List needs a name")
    now = datetime.now(UTC)
    outreach = (
        await session.execute(select(OutreachList).where(OutreachList.name == name))
    ).scalar_one_or_none()
    if outreach is None:
        outreach = OutreachList(name=name, created_at=now)
        session.add(outreach)
        await session.flush()
    members = set(
        (
            await session.execute(
                select(OutreachListMember.contact_id).where(
                    OutreachListMember.list_id == outreach.id
                )
            )
        ).scalars()
    )
    added = 0
    for candidate in candidates:
        if candidate.contact_id in members:
            continue
        member = OutreachListMember(
            list_id=outreach.id,
            contact_id=candidate.contact_id,
            interaction_id=candidate.interaction_id,
            added_at=now,
        )
        session.add(member)
        await session.flush()
        members.add(candidate.contact_id)
        contact = await session.get(Contact, candidate.contact_id)
        interaction = await session.get(Interaction, candidate.interaction_id)
        assert contact is not None
        person = await session.get(Person, contact.person_id) if contact.person_id else None
        events.outreach_member_added(
            session,
            member_id=member.id,
            outreach_list=outreach,
            contact=contact,
            person=person,
            interaction=interaction,
            at=now,
        )
        added += 1
    return added
