"""What an admin needs to judge one address: its setting, why, since when, and the trail.

Shared by `bounce-sink contacts show` and anything else that explains a
contact; read only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.policy.contacts import find_contact, person_of
from bounce_sink.store.models import AuditEntry, Contact, Interaction
from bounce_sink.store.utc import iso_utc


def _interaction(row: Interaction) -> dict[str, Any]:
    return {
        "id": row.id,
        "dsn_id": row.message_id,
        "kind": row.kind,
        "address": row.address,
        "action": row.action,
        "status": row.status,
        "reply_code": row.reply_code,
        "diagnostic": row.diagnostic,
        "reason": row.reason,
        "side": row.side,
        "severity": row.severity,
        "code": row.code,
        "rule": row.rule,
        "mailing_id": row.mailing_id,
        "counted": row.counted,
        "quarantined": row.quarantined,
        "occurred_at": iso_utc(row.occurred_at),
    }


async def contact_summary(
    session: AsyncSession, address: str, *, limit: int = 50
) -> dict[str, Any] | None:
    """The contact as one JSON-ready document, or None when the sink does not know the address."""
    contact = await find_contact(session, address)
    if contact is None:
        return None
    person = await person_of(session, contact)
    cause = (
        await session.get(Interaction, contact.bulk_email_interaction_id)
        if contact.bulk_email_interaction_id
        else None
    )
    interactions = (
        (
            await session.execute(
                select(Interaction)
                .where(Interaction.contact_id == contact.id)
                .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
                .limit(limit)
            )
        )
        .scalars()
        .all()
    )
    audit_filter: ColumnElement[bool] = (AuditEntry.entity == "contact") & (
        AuditEntry.entity_id == contact.id
    )
    if person is not None:
        audit_filter = or_(
            audit_filter, (AuditEntry.entity == "person") & (AuditEntry.entity_id == person.id)
        )
    audit = (
        (await session.execute(select(AuditEntry).where(audit_filter).order_by(AuditEntry.id)))
        .scalars()
        .all()
    )
    others: list[str] = []
    if person is not None:
        others = list(
            (
                await session.execute(
                    select(Contact.address).where(
                        Contact.person_id == person.id, Contact.id != contact.id
                    )
                )
            ).scalars()
        )
    return {
        "address": contact.address,
        "bulk_email": contact.bulk_email,
        "why": contact.bulk_email_reason,
        "since": iso_utc(contact.bulk_email_since),
        "interaction": _interaction(cause) if cause else None,
        "is_primary": contact.is_primary,
        "new_address": contact.new_address,
        "soft_bounce_count": contact.soft_bounce_count,
        "soft_bounce_first_at": iso_utc(contact.soft_bounce_first_at),
        "soft_bounce_last_at": iso_utc(contact.soft_bounce_last_at),
        "last_success_at": iso_utc(contact.last_success_at),
        "person": None
        if person is None
        else {
            "id": person.id,
            "crm_person_id": person.crm_person_id,
            "bulk_email": person.bulk_email,
            "why": person.bulk_email_reason,
            "since": iso_utc(person.bulk_email_since),
            "interaction_id": person.bulk_email_interaction_id,
            "other_addresses": others,
        },
        "audit": [
            {
                "at": iso_utc(entry.at),
                "actor": entry.actor,
                "entity": entry.entity,
                "field": entry.field,
                "old": entry.old_value,
                "new": entry.new_value,
                "why": entry.why,
                "interaction_id": entry.interaction_id,
            }
            for entry in audit
        ],
        "interactions": [_interaction(row) for row in interactions],
    }
