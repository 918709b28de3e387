"""The audit trail: one row per changed field, saying who changed it, when, why and from what.

Bulk Email changes, the CRM's address entries and reclassified verdicts all
write the same kind of row, so an admin reads one trail for a contact.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.store.models import AuditEntry, Interaction


def record_audit(
    session: AsyncSession,
    *,
    entity: str,
    entity_id: int,
    field: str,
    old: str,
    new: str,
    why: str,
    actor: str,
    at: datetime,
    interaction: Interaction | None = None,
) -> AuditEntry:
    """Add the entry to the session (the caller's transaction) and return it.

    The entry has an id only after a flush; the outbox event of a Bulk Email
    change is keyed by it.
    """
    entry = AuditEntry(
        at=at,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        field=field,
        old_value=old,
        new_value=new,
        why=why,
        interaction_id=interaction.id if interaction else None,
    )
    session.add(entry)
    return entry
