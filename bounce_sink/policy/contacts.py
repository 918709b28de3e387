"""Finding the contact a bounce is about, and creating it when the sink first hears of it.

A contact the sink creates from a bounce gets its own person (no CRM id yet),
because the Bulk Email flag lives on the person; when the CRM later names the
person (`people.set_person_address`), the address moves to the CRM's person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.policy.addresses import normalise_address
from bounce_sink.store.models import Contact, Person


async def find_contact(session: AsyncSession, address: str) -> Contact | None:
    """The contact for `address`: exact normalised match, else a unique case-insensitive one."""
    bare = normalise_address(address)
    if not bare:
        return None
    found = (
        await session.execute(select(Contact).where(Contact.address == bare))
    ).scalar_one_or_none()
    if found is not None:
        return found
    folded = (
        (
            await session.execute(
                select(Contact).where(func.lower(Contact.address) == bare.lower()).limit(2)
            )
        )
        .scalars()
        .all()
    )
    return folded[0] if len(folded) == 1 else None


async def create_contact(
    session: AsyncSession,
    address: str,
    *,
    person: Person | None = None,
    now: datetime | None = None,
) -> Contact:
    """A new allowed contact; with a fresh person of its own unless one is given."""
    at = now or datetime.now(UTC)
    if person is None:
        person = Person(crm_person_id=None, bulk_email="allow", bulk_email_reason="", created_at=at)
        session.add(person)
        await session.flush()
    contact = Contact(
        address=normalise_address(address),
        person_id=person.id,
        bulk_email="allow",
        bulk_email_reason="",
        is_primary=True,
        new_address="",
        soft_bounce_count=0,
        created_at=at,
    )
    session.add(contact)
    await session.flush()
    return contact


async def match_contact(
    session: AsyncSession, candidates: Iterable[str], *, create: bool = True
) -> Contact | None:
    """The first existing contact among `candidates` (in match order), else a new one for the first.

    DESIGN.md's order is the VERP-tagged address, then ORCPT, then
    Final-Recipient: forwarding makes Final-Recipient differ from the address
    we mailed, so the earlier ones win when we know them.
    """
    ordered = [normalise_address(c) for c in candidates]
    ordered = [c for i, c in enumerate(ordered) if c and "@" in c and c not in ordered[:i]]
    for address in ordered:
        found = await find_contact(session, address)
        if found is not None:
            return found
    if not ordered or not create:
        return None
    return await create_contact(session, ordered[0])


async def person_of(session: AsyncSession, contact: Contact) -> Person | None:
    if contact.person_id is None:
        return None
    return await session.get(Person, contact.person_id)
