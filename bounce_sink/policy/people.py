"""Changes that come from people rather than bounces: the CRM's addresses, admins, deliveries.

- `set_person_address`: the CRM enters an address for a person. A new
  address is allowed for bulk mail and becomes the primary one; the person's
  flag goes back to allow when it was a bounce that blocked them; the old,
  bounced address stays suppressed.
- `allow_address`: an admin reverses a wrong decision, with a reason.
- `record_delivery`: the sending side reports a successful delivery, which
  resets the soft-bounce count like a success DSN does.
Every change goes through `bulk_email.set_bulk_email` (audited, sent to the CRM).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.config import Settings
from bounce_sink.policy.addresses import (
    crm_person_id_problem,
    entered_address_problem,
    normalise_address,
)
from bounce_sink.policy.audit_trail import record_audit
from bounce_sink.policy.bulk_email import (
    ADMIN,
    ALLOW,
    BOUNCE_REASONS,
    COMPLAINT,
    DO_NOT_ALLOW,
    NEW_ADDRESS,
    BulkEmailChange,
    set_bulk_email,
)
from bounce_sink.policy.contacts import create_contact, find_contact, person_of
from bounce_sink.policy.locks import lock_addresses
from bounce_sink.policy.soft_bounces import reset_on_success
from bounce_sink.store.models import Contact, Interaction, Person

log = structlog.get_logger(__name__)


class UnknownAddress(LookupError):
    """No contact has this address."""


@dataclass(frozen=True)
class AddressResult:
    """What entering an address for a person did."""

    person_id: int
    contact_id: int
    address: str
    created: bool
    bulk_email: str  # the address's setting afterwards
    person_bulk_email: str
    change: BulkEmailChange | None

    def as_json(self, crm_person_id: str) -> dict[str, Any]:
        """What `contacts add-address`, `crm address-change` and the CRM endpoint answer."""
        return {
            "person_id": crm_person_id,
            "address": self.address,
            "created": self.created,
            "bulk_email": self.bulk_email,
            "person_bulk_email": self.person_bulk_email,
        }


async def set_person_address(
    session: AsyncSession, crm_person_id: str, address: str, actor: str
) -> AddressResult:
    """Make `address` the CRM person's current address (the CRM inbound endpoint calls this).

    Does not commit. An address already suppressed stays suppressed (a bounce
    was about that address, and entering it again does not make it work); a
    fresh or allowed address re-allows a person whom a bounce had blocked. A
    complaint or an admin's decision on the person is left alone.
    """
    now = datetime.now(UTC)
    problem = crm_person_id_problem(crm_person_id) or entered_address_problem(address)
    if problem:
        raise ValueError(problem)
    crm_person_id = crm_person_id.strip()
    bare = normalise_address(address)
    if "@" not in bare:
        raise ValueError(f"address {address.strip()!r} is not an email address")
    await lock_addresses(session, [bare])
    person = (
        await session.execute(select(Person).where(Person.crm_person_id == crm_person_id))
    ).scalar_one_or_none()
    contact = await find_contact(session, bare)
    if person is None and contact is not None and contact.person_id is not None:
        # The sink made an anonymous person for this address from a bounce: that is this person.
        owner = await person_of(session, contact)
        if owner is not None and owner.crm_person_id is None:
            owner.crm_person_id = crm_person_id
            record_audit(
                session,
                at=datetime.now(UTC),
                entity="person",
                entity_id=owner.id,
                field="crm_person_id",
                old="",
                new=crm_person_id,
                why=f"CRM named the person of {contact.address}",
                actor=actor,
            )
            person = owner
    if person is None:
        person = Person(
            crm_person_id=crm_person_id, bulk_email=ALLOW, bulk_email_reason="", created_at=now
        )
        session.add(person)
        await session.flush()
    created = contact is None
    if contact is None:
        contact = await create_contact(session, bare, person=person, now=now)
        record_audit(
            session,
            at=datetime.now(UTC),
            entity="contact",
            entity_id=contact.id,
            field="address",
            old="",
            new=contact.address,
            why=f"address entered for person {crm_person_id}",
            actor=actor,
        )
    elif contact.person_id != person.id:
        record_audit(
            session,
            at=datetime.now(UTC),
            entity="contact",
            entity_id=contact.id,
            field="person_id",
            old=str(contact.person_id or ""),
            new=str(person.id),
            why=f"address entered for person {crm_person_id}",
            actor=actor,
        )
        contact.person_id = person.id
    others = (
        (
            await session.execute(
                select(Contact.id).where(
                    Contact.person_id == person.id,
                    Contact.id != contact.id,
                    Contact.is_primary.is_(True),
                )
            )
        )
        .scalars()
        .all()
    )
    if others:
        await session.execute(
            update(Contact).where(Contact.id.in_(others)).values(is_primary=False)
        )
        for other_id in others:
            record_audit(
                session,
                at=datetime.now(UTC),
                entity="contact",
                entity_id=other_id,
                field="is_primary",
                old="true",
                new="false",
                why=f"{contact.address} is now the primary address",
                actor=actor,
            )
    contact.is_primary = True
    change: BulkEmailChange | None = None
    if (
        contact.bulk_email == ALLOW
        and person.bulk_email == DO_NOT_ALLOW
        and person.bulk_email_reason in BOUNCE_REASONS
    ):
        change = await set_bulk_email(
            session,
            contact=contact,
            person=person,
            contact_value=None,
            person_value=ALLOW,
            reason=NEW_ADDRESS,
            why=f"new address {contact.address} entered; the bounced address stays suppressed",
            actor=actor,
            at=now,
        )
    elif (
        contact.bulk_email == DO_NOT_ALLOW
        and person.bulk_email == ALLOW
        and contact.bulk_email_reason in (*BOUNCE_REASONS, COMPLAINT)
    ):
        # The CRM made an address we know to be dead (or complained from) the current one:
        # the person's flag follows their primary address, as after the bounce itself.
        cause = (
            await session.get(Interaction, contact.bulk_email_interaction_id)
            if contact.bulk_email_interaction_id
            else None
        )
        change = await set_bulk_email(
            session,
            contact=contact,
            person=person,
            contact_value=None,
            person_value=DO_NOT_ALLOW,
            reason=contact.bulk_email_reason,
            why=f"address {contact.address} entered, but it is suppressed ({contact.bulk_email_reason})",
            actor=actor,
            at=now,
            interaction=cause,
        )
    await session.flush()
    log.info(
        "person_address_set",
        crm_person_id=crm_person_id,
        address=contact.address,
        created=created,
        address_bulk_email=contact.bulk_email,
        person_bulk_email=person.bulk_email,
    )
    return AddressResult(
        person_id=person.id,
        contact_id=contact.id,
        address=contact.address,
        created=created,
        bulk_email=contact.bulk_email,
        person_bulk_email=person.bulk_email,
        change=change,
    )


async def allow_contact(
    session: AsyncSession, address: str, *, why: str, actor: str
) -> BulkEmailChange | None:
    """An admin's reversal: allow bulk mail to `address` again (and to its person, if blocked by it).

    The person's flag is reversed too when the same interaction blocked both,
    or when this is the person's primary address and a bounce blocked them.
    Clears the soft-bounce count, so the next soft bounce starts afresh.
    Raises UnknownAddress when no contact has this address. Does not commit.
    """
    if not why.strip():
        raise ValueError("say why (--why): every reversal is audited")
    await lock_addresses(session, [address])
    contact = await find_contact(session, address)
    if contact is None:
        raise UnknownAddress(normalise_address(address))
    person = await person_of(session, contact)
    person_value: str | None = None
    if person is not None and person.bulk_email == DO_NOT_ALLOW:
        same_cause = (
            person.bulk_email_interaction_id is not None
            and person.bulk_email_interaction_id == contact.bulk_email_interaction_id
        )
        if same_cause or (contact.is_primary and person.bulk_email_reason in BOUNCE_REASONS):
            person_value = ALLOW
    now = datetime.now(UTC)
    change = await set_bulk_email(
        session,
        contact=contact,
        person=person,
        contact_value=ALLOW,
        person_value=person_value,
        reason=ADMIN,
        why=why,
        actor=actor,
        at=now,
    )
    if change is not None:
        contact.soft_bounce_count = 0
        contact.soft_bounce_first_at = None
        contact.soft_bounce_last_at = None
        # Counts restart after the reversal: earlier soft bounces led to the decision being reversed.
        contact.last_success_at = now
    return change


async def record_delivery(
    session: AsyncSession, address: str, at: datetime, *, settings: Settings | None = None
) -> bool:
    """The sending side reports a delivery to `address` at `at`: reset its soft-bounce count.

    Returns False when the sink has no contact for the address (nothing to
    reset; the sink does not create contacts from deliveries). Does not commit.
    """
    await lock_addresses(session, [address])
    contact = await find_contact(session, address)
    if contact is None:
        return False
    window = (settings or Settings()).soft_bounce_window_days
    await reset_on_success(session, contact, at, window_days=window)
    log.info("delivery_recorded", address=contact.address, at=at.isoformat())
    return True
