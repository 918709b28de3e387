"""The tables. One module so the schema can be read in one place.

Every row that a person acts on (a contact's bulk-email setting, an
interaction, an outbox event) points back at the message that caused it, so an
admin can always go from a decision to the exact bytes behind it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Message(Base):
    """One message as received: raw bytes first, parse results after."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # None once purged
    raw_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16))  # smtp | lmtp | ingest | import
    peer: Mapped[str] = mapped_column(String(255), default="")
    helo: Mapped[str] = mapped_column(String(255), default="")
    mail_from: Mapped[str] = mapped_column(String(512), default="")
    rcpt_tos: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # pending -> parsed | unparsed | other | quarantined
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    error: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="")  # dsn | arf | autoreply | unknown
    format: Mapped[str] = mapped_column(String(64), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    from_header: Mapped[str] = mapped_column(Text, default="")
    reporting_mta: Mapped[str] = mapped_column(String(255), default="")
    original_message_id: Mapped[str] = mapped_column(String(998), default="")
    envelope_id: Mapped[str] = mapped_column(String(255), default="")
    verp_tag: Mapped[str] = mapped_column(String(128), default="")
    quarantine_reason: Mapped[str] = mapped_column(Text, default="")
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    interactions: Mapped[list[Interaction]] = relationship(back_populates="message", lazy="raise")


class Person(Base):
    """A person as the CRM knows them; Bulk Email belongs to the person."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crm_person_id: Mapped[str | None] = mapped_column(String(128), unique=True, nullable=True)
    bulk_email: Mapped[str] = mapped_column(String(16), default="allow")  # allow | do_not_allow
    bulk_email_reason: Mapped[str] = mapped_column(String(64), default="")
    bulk_email_since: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    bulk_email_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", use_alter=True, name="fk_person_interaction"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    contacts: Mapped[list[Contact]] = relationship(back_populates="person", lazy="raise")


class Contact(Base):
    """A contact method (an email address); suppression belongs to the address."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id"), nullable=True, index=True
    )
    address: Mapped[str] = mapped_column(
        String(512), unique=True
    )  # normalised, see policy.addresses
    bulk_email: Mapped[str] = mapped_column(String(16), default="allow")  # allow | do_not_allow
    bulk_email_reason: Mapped[str] = mapped_column(String(64), default="")
    bulk_email_since: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    bulk_email_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", use_alter=True, name="fk_contact_interaction"), nullable=True
    )
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)
    new_address: Mapped[str] = mapped_column(String(512), default="")  # has_moved target
    soft_bounce_count: Mapped[int] = mapped_column(Integer, default=0)
    soft_bounce_first_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    soft_bounce_last_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person | None] = relationship(back_populates="contacts", lazy="raise")


class Interaction(Base):
    """One recipient's outcome in one message: a Bulk Email Interaction."""

    __tablename__ = "interactions"
    __table_args__ = (UniqueConstraint("dedupe_key", name="uq_interactions_dedupe_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id"), nullable=True, index=True
    )
    dedupe_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(
        String(16)
    )  # bounce | delay | delivered | complaint | autoreply
    address: Mapped[str] = mapped_column(String(512), index=True)
    original_recipient: Mapped[str] = mapped_column(String(512), default="")
    action: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="")
    reply_code: Mapped[str] = mapped_column(String(8), default="")
    diagnostic: Mapped[str] = mapped_column(Text, default="")
    remote_mta: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    rule: Mapped[str] = mapped_column(String(128))
    heuristic: Mapped[bool] = mapped_column(Boolean, default=False)
    feedback_type: Mapped[str] = mapped_column(String(32), default="")
    mailing_id: Mapped[str] = mapped_column(String(128), default="", index=True)
    original_message_id: Mapped[str] = mapped_column(String(998), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counted: Mapped[bool] = mapped_column(Boolean, default=False)  # counted toward soft escalation
    superseded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # reclassify
    # recorded from a message quarantined as forged: changes no contact, counts nothing
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)

    message: Mapped[Message] = relationship(back_populates="interactions", lazy="raise")


class AuditEntry(Base):
    """Every change to a bulk-email setting: who or what, when, why, from what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(128))  # "policy", "admin:alice", "crm", "reclassify"
    entity: Mapped[str] = mapped_column(String(16))  # person | contact
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"), nullable=True)

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class OutboxEvent(Base):
    """A result to push to the CRM, written in the same transaction as the change."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # delivery order
    event_id: Mapped[str] = mapped_column(String(64), unique=True)  # stable, idempotency key
    type: Mapped[str] = mapped_column(String(64))
    ordering_key: Mapped[str] = mapped_column(String(512), index=True)  # per-contact order
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    dead: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # which worker holds the lease (claimed_until); lets a worker find the rows it claimed
    claimed_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_outbox_pending", "delivered_at", "dead", "next_attempt_at"),)


class OutboxTally(Base):
    """What the purged delivered events add to the outbox's health: one row, id 1.

    Delivered events are deleted after outbox_retention_days; without this the
    delivered counter of `/metrics` would go down and "last success" would be
    forgotten when the last delivered row went.
    """

    __tablename__ = "outbox_tally"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivered_purged: Mapped[int] = mapped_column(Integer, default=0)
    last_delivered_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class OutreachList(Base):
    __tablename__ = "outreach_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutreachListMember(Base):
    __tablename__ = "outreach_list_members"
    __table_args__ = (UniqueConstraint("list_id", "contact_id", name="uq_outreach_member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("outreach_lists.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Incident(Base):
    """Many sender-side failures at one receiving domain: our problem, not theirs."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer, default=0)
    sample_diagnostic: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
