"""The one place a Bulk Email setting changes: every change audited and sent to the CRM.

Suppression belongs to the address (contact), the CRM's Bulk Email flag to the
person (DESIGN.md "Policy details"). A change records, per field that really
changed, an AuditEntry with actor, time, why and the previous value, and one
`contact.bulk_email_changed` outbox event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.policy import events
from bounce_sink.policy.audit_trail import record_audit
from bounce_sink.store.models import AuditEntry, Contact, Interaction, Person

ALLOW = "allow"
DO_NOT_ALLOW = "do_not_allow"

# Reasons a setting can carry. Bounce-made suppressions of a person are undone
# by a new address; a complaint or an admin decision is not.
HARD_BOUNCE = "hard_bounce"
SOFT_BOUNCE_LIMIT = "soft_bounce_limit"
COMPLAINT = "complaint"
ADMIN = "admin"
NEW_ADDRESS = "new_address"
RECLASSIFY = "reclassify"
BOUNCE_REASONS = frozenset({HARD_BOUNCE, SOFT_BOUNCE_LIMIT})

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class BulkEmailChange:
    """What one call changed (for outcomes and the CLI)."""

    address: str
    contact_before: str
    contact_after: str
    person_before: str | None
    person_after: str | None
    reason: str


def _change_setting(
    session: AsyncSession,
    holder: Contact | Person,
    *,
    entity: str,
    value: str,
    reason: str,
    why: str,
    actor: str,
    now: datetime,
    at: datetime,
    interaction: Interaction | None,
) -> AuditEntry:
    """Audit, then set, one holder's setting: an address and a person carry the same four fields."""
    entry = record_audit(
        session,
        entity=entity,
        entity_id=holder.id,
        field="bulk_email",
        old=f"{holder.bulk_email} ({holder.bulk_email_reason or '-'})",
        new=f"{value} ({reason})",
        why=why,
        actor=actor,
        at=now,
        interaction=interaction,
    )
    holder.bulk_email = value
    holder.bulk_email_reason = reason
    holder.bulk_email_since = at
    holder.bulk_email_interaction_id = interaction.id if interaction else None
    return entry


async def set_bulk_email(
    session: AsyncSession,
    *,
    contact: Contact,
    person: Person | None,
    contact_value: str | None,
    person_value: str | None,
    reason: str,
    why: str,
    actor: str,
    at: datetime,
    interaction: Interaction | None = None,
) -> BulkEmailChange | None:
    """Set the address's and/or the person's setting (None leaves one alone).

    `at` is when the setting took effect (the DSN's own date for a bounce, so
    an import of old bounces shows the right "since"); the audit entries and
    the event carry the time the decision was made.

    Returns None and writes nothing when nothing actually changes, so a second
    hard bounce for a suppressed address is recorded as an interaction only.
    """
    now = datetime.now(UTC)
    entries: list[AuditEntry] = []
    contact_before = contact.bulk_email
    person_before = person.bulk_email if person is not None else None
    if contact_value is not None and contact_value != contact.bulk_email:
        entries.append(
            _change_setting(
                session,
                contact,
                entity="contact",
                value=contact_value,
                reason=reason,
                why=why,
                actor=actor,
                now=now,
                at=at,
                interaction=interaction,
            )
        )
    if person is not None and person_value is not None and person_value != person.bulk_email:
        entries.append(
            _change_setting(
                session,
                person,
                entity="person",
                value=person_value,
                reason=reason,
                why=why,
                actor=actor,
                now=now,
                at=at,
                interaction=interaction,
            )
        )
    if not entries:
        return None
    await session.flush()
    events.bulk_email_changed(
        session,
        first_audit=entries[0],
        contact=contact,
        person=person,
        previous_person=person_before,
        previous_contact=contact_before,
        reason=reason,
        why=why,
        actor=actor,
        interaction=interaction,
        at=now,
    )
    change = BulkEmailChange(
        address=contact.address,
        contact_before=contact_before,
        contact_after=contact.bulk_email,
        person_before=person_before,
        person_after=person.bulk_email if person is not None else None,
        reason=reason,
    )
    log.info(
        "bulk_email_changed",
        address=contact.address,
        contact=f"{change.contact_before}->{change.contact_after}",
        person=f"{change.person_before}->{change.person_after}",
        reason=reason,
        actor=actor,
        interaction_id=interaction.id if interaction else None,
    )
    return change


async def suppress(
    session: AsyncSession,
    *,
    contact: Contact,
    person: Person | None,
    reason: str,
    why: str,
    actor: str,
    at: datetime,
    interaction: Interaction | None,
) -> BulkEmailChange | None:
    """Suppress the address; the person too when this is their primary address.

    An old, non-primary address that bounces must not stop mail to the
    person's current address, so the person's flag follows only the primary.
    """
    return await set_bulk_email(
        session,
        contact=contact,
        person=person,
        contact_value=DO_NOT_ALLOW,
        person_value=DO_NOT_ALLOW if contact.is_primary else None,
        reason=reason,
        why=why,
        actor=actor,
        at=at,
        interaction=interaction,
    )
