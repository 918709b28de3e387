"""What the CRM hears: outbox events built from rows, in the caller's transaction.

Payload fields follow docs/crm-events.schema.json (version 1). Event ids are
derived from the row the event reports (interaction, audit entry, list
membership), so a retried transaction cannot produce a second event for the
same change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.crm.outbox import enqueue
from bounce_sink.store.models import AuditEntry, Contact, Interaction, OutreachList, Person
from bounce_sink.store.utc import iso_utc

INTERACTION_RECORDED = "interaction.recorded"
BULK_EMAIL_CHANGED = "contact.bulk_email_changed"
OUTREACH_MEMBER_ADDED = "outreach_list.member_added"

# Interactions the CRM records as Bulk Email Interactions; delays, successes
# and relays stay in the sink (they matter for counting, not for people).
REPORTED_KINDS = frozenset({"bounce", "complaint", "autoreply"})


def interaction_recorded(
    session: AsyncSession, interaction: Interaction, contact: Contact, person: Person | None
) -> None:
    """Tell the CRM about one bounce, complaint or auto-reply (the interaction must have an id)."""
    enqueue(
        session,
        INTERACTION_RECORDED,
        ordering_key=contact.address,
        event_id=f"interaction-{interaction.id}",
        payload={
            "person_id": person.crm_person_id if person else None,
            "address": contact.address,
            "reported_address": interaction.address,
            "kind": interaction.kind,
            "code": interaction.code,
            "reason": interaction.reason,
            "severity": interaction.severity,
            "side": interaction.side,
            "diagnostic": interaction.diagnostic,
            "status": interaction.status,
            "action": interaction.action,
            "reply_code": interaction.reply_code,
            "remote_mta": interaction.remote_mta,
            "rule": interaction.rule,
            "mailing_id": interaction.mailing_id,
            "original_message_id": interaction.original_message_id,
            "feedback_type": interaction.feedback_type,
            "dsn_id": interaction.message_id,
            "interaction_id": interaction.id,
            "occurred_at": iso_utc(interaction.occurred_at),
        },
    )


def bulk_email_changed(
    session: AsyncSession,
    *,
    first_audit: AuditEntry,
    contact: Contact,
    person: Person | None,
    previous_person: str | None,
    previous_contact: str,
    reason: str,
    why: str,
    actor: str,
    interaction: Interaction | None,
    at: datetime,
) -> None:
    """Tell the CRM the Bulk Email setting changed, for the person and for the address."""
    enqueue(
        session,
        BULK_EMAIL_CHANGED,
        ordering_key=contact.address,
        event_id=f"bulk-email-{first_audit.id}",
        payload={
            "person_id": person.crm_person_id if person else None,
            "address": contact.address,
            "bulk_email": person.bulk_email if person else contact.bulk_email,
            "previous": previous_person if person else previous_contact,
            "address_bulk_email": contact.bulk_email,
            "address_previous": previous_contact,
            "reason": reason,
            "why": why,
            "actor": actor,
            "code": interaction.code if interaction else None,
            "severity": interaction.severity if interaction else None,
            "side": interaction.side if interaction else None,
            "bounce_reason": interaction.reason if interaction else None,
            "diagnostic": interaction.diagnostic if interaction else None,
            "dsn_id": interaction.message_id if interaction else None,
            "interaction_id": interaction.id if interaction else None,
            "occurred_at": iso_utc(at),
        },
    )


def outreach_member_added(
    session: AsyncSession,
    *,
    member_id: int,
    outreach_list: OutreachList,
    contact: Contact,
    person: Person | None,
    interaction: Interaction | None,
    at: datetime,
) -> None:
    """Tell the CRM a contact joined a named Outreach List (e.g. to resend a mailing)."""
    payload: dict[str, Any] = {
        "person_id": person.crm_person_id if person else None,
        "address": contact.address,
        "list_name": outreach_list.name,
        "reason": interaction.reason if interaction else None,
        "code": interaction.code if interaction else None,
        "mailing_id": interaction.mailing_id if interaction else None,
        "dsn_id": interaction.message_id if interaction else None,
        "interaction_id": interaction.id if interaction else None,
        "occurred_at": iso_utc(at),
    }
    enqueue(
        session,
        OUTREACH_MEMBER_ADDED,
        ordering_key=contact.address,
        event_id=f"outreach-member-{member_id}",
        payload=payload,
    )
