"""From a parsed report to decisions: interactions, contact settings, counts, outbox events.

`apply_report` runs inside the caller's transaction (the intake processing
commits after it), so a message's interactions, the changes they cause and
the outbox events telling the CRM all commit together or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.classify import classify_recipient
from bounce_sink.classify.taxonomy import Classification
from bounce_sink.config import Settings
from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.policy import events, forgery
from bounce_sink.policy.addresses import domain_of, normalise_address
from bounce_sink.policy.bulk_email import (
    COMPLAINT,
    DO_NOT_ALLOW,
    HARD_BOUNCE,
    SOFT_BOUNCE_LIMIT,
    BulkEmailChange,
    set_bulk_email,
    suppress,
)
from bounce_sink.policy.contacts import match_contact, person_of
from bounce_sink.policy.incidents import note_sender_side_failure
from bounce_sink.policy.locks import lock_addresses
from bounce_sink.policy.soft_bounces import reset_on_success, weigh_soft_bounce
from bounce_sink.policy.verp import tag_of
from bounce_sink.store.models import Contact, Interaction, Message
from bounce_sink.store.utc import as_utc

log = structlog.get_logger(__name__)

ACTOR = "policy"
# ARF feedback types that mean "this person does not want this mail" (RFC 5965, RFC 6650).
UNSUBSCRIBING_FEEDBACK = frozenset({"abuse", "fraud"})

Classifier = Callable[[RecipientStatus, Report], Classification]


@dataclass
class PolicyOutcome:
    """What applying one report did; for logs, the CLI and tests."""

    state: str
    interactions: list[int] = field(default_factory=list)
    duplicates: int = 0
    changes: list[BulkEmailChange] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    quarantine_reason: str = ""


def interaction_kind(report: Report, recipient: RecipientStatus, verdict: Classification) -> str:
    """bounce | delay | delivered | relayed | complaint | autoreply."""
    if report.kind == "arf" or verdict.reason == "feedback":
        return "complaint"
    if report.kind == "autoreply" or verdict.reason == "vacation":
        return "autoreply"
    action = recipient.action.lower()
    if verdict.reason == "delivered" or action == "delivered":
        return "delivered"
    if action == "delayed":
        return "delay"
    if action in ("relayed", "expanded"):
        return "relayed"
    if verdict.severity == "none":
        return "delay"
    return "bounce"


def occurred_at(report: Report, message: Message) -> datetime:
    """The DSN's own date (Arrival-Date, else Date), else when we received it."""
    return as_utc(report.arrival_date or message.received_at)


def dedupe_key(report: Report, message: Message, recipient: RecipientStatus) -> str:
    """Same DSN received twice -> same key -> one interaction.

    A resent copy keeps the bounce's Message-ID and its content but not our
    envelope, so the key is built from what the reporting MTA wrote; the raw
    bytes' hash is the basis only when the message has no Message-ID.
    """
    basis = report.message_id.strip() or message.sha256
    parts = (
        basis,
        normalise_address(recipient.address).lower(),
        normalise_address(recipient.original_recipient).lower(),
        recipient.action.lower(),
        recipient.status,
        report.feedback_type.lower(),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _header(headers: dict[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value.strip()
    return ""


def message_tag(message: Message, report: Report, settings: Settings) -> str:
    """The TAG of the bounce address the message came back to, from the envelope, else To:."""
    if message.verp_tag:
        return message.verp_tag
    prefix = settings.bounce_local_part.lower() + "+"
    # The configured domains spelt as normalise_address spells the address's
    # (IDN as A-label), as intake compares them when it accepts the RCPT.
    ours = {domain_of(normalise_address(f"x@{d}")) for d in settings.bounce_domains}
    for address in [*(message.rcpt_tos or []), *report.to_addresses]:
        bare = normalise_address(str(address))
        local, _, domain = bare.rpartition("@")
        if local.lower().startswith(prefix) and (not ours or domain in ours):
            return tag_of(bare)
    return ""


def _to_postmaster_only(message: Message) -> bool:
    rcpts = [str(r).lower() for r in (message.rcpt_tos or [])]
    return bool(rcpts) and all(r.startswith("postmaster@") for r in rcpts)


def _describe(message: Message, report: Report) -> None:
    message.kind = report.kind
    message.format = report.format[:64]
    message.subject = report.subject
    message.from_header = report.from_address
    message.reporting_mta = report.reporting_mta[:255]
    message.original_message_id = report.original_message_id[:998]
    message.envelope_id = report.envelope_id[:255]


async def _existing(session: AsyncSession, key: str) -> Interaction | None:
    found = await session.execute(select(Interaction).where(Interaction.dedupe_key == key))
    return found.scalar_one_or_none()


async def apply_report(
    session: AsyncSession,
    message: Message,
    report: Report,
    settings: Settings,
    *,
    classify: Classifier = classify_recipient,
) -> PolicyOutcome:
    """Record and act on one parsed message. Does not commit: the caller's transaction does."""
    now = datetime.now(UTC)
    _describe(message, report)
    message.processed_at = now
    if report.error:
        message.state = "unparsed"
        message.error = report.error
        log.info("message_unparsed", message_id=message.id, error=report.error)
        return PolicyOutcome(state="unparsed")
    message.verp_tag = message_tag(message, report, settings)[:128]
    if report.kind == "unknown" or not report.recipients or _to_postmaster_only(message):
        message.state = "other"
        log.info("message_other", message_id=message.id, kind=report.kind, format=report.format)
        return PolicyOutcome(state="other")

    await lock_addresses(session, [a for r in report.recipients for a in forgery.candidates(r)])
    received = as_utc(message.received_at) if message.received_at else now
    origin = forgery.judge(
        report, message.verp_tag, settings.verp_key, received.date(), settings.verp_old_keys
    )
    message.state = "parsed" if origin.trusted else "quarantined"
    message.quarantine_reason = origin.reason
    outcome = PolicyOutcome(state=message.state, quarantine_reason=origin.reason)
    when = occurred_at(report, message)
    header_mailing = _header(report.original_headers, settings.mailing_id_header)
    mailing_id = (
        origin.tag.mailing_id if origin.tag and origin.tag.valid else ""
    ) or header_mailing

    for recipient in report.recipients:
        key = dedupe_key(report, message, recipient)
        if await _existing(session, key) is not None:
            outcome.duplicates += 1
            log.info("interaction_duplicate", message_id=message.id, address=recipient.address)
            continue
        verdict = classify(recipient, report)
        interaction = Interaction(
            message_id=message.id,
            contact_id=None,
            dedupe_key=key,
            kind=interaction_kind(report, recipient, verdict),
            address=normalise_address(recipient.address)[:512],
            original_recipient=normalise_address(recipient.original_recipient)[:512],
            action=recipient.action[:16],
            status=recipient.status[:16],
            reply_code=recipient.reply_code[:8],
            diagnostic=recipient.diagnostic,
            remote_mta=recipient.remote_mta[:255],
            reason=verdict.reason,
            side=verdict.side,
            severity=verdict.severity,
            code=verdict.code,
            rule=verdict.rule[:128],
            heuristic=recipient.heuristic,
            feedback_type=report.feedback_type[:32],
            mailing_id=mailing_id[:128],
            original_message_id=report.original_message_id[:998],
            occurred_at=when,
            created_at=now,
            counted=False,
            quarantined=not origin.trusted,
        )
        session.add(interaction)
        await session.flush()
        outcome.interactions.append(interaction.id)
        log.info(
            "interaction_recorded",
            message_id=message.id,
            interaction_id=interaction.id,
            address=interaction.address,
            kind=interaction.kind,
            reason=verdict.reason,
            severity=verdict.severity,
            side=verdict.side,
            rule=verdict.rule,
            quarantined=interaction.quarantined,
        )
        if not origin.trusted:
            continue
        tagged = forgery.tagged_address(recipient, origin.tag)
        contact = await match_contact(session, [tagged, *forgery.candidates(recipient)])
        if contact is None:
            continue
        interaction.contact_id = contact.id
        await _act(session, settings, report, recipient, interaction, contact, outcome)
    if outcome.quarantine_reason:
        log.warning("message_quarantined", message_id=message.id, why=outcome.quarantine_reason)
    return outcome


async def _act(
    session: AsyncSession,
    settings: Settings,
    report: Report,
    recipient: RecipientStatus,
    interaction: Interaction,
    contact: Contact,
    outcome: PolicyOutcome,
) -> None:
    """The consequences of one trusted interaction for its contact."""
    person = await person_of(session, contact)
    at = as_utc(interaction.occurred_at)
    if interaction.kind in events.REPORTED_KINDS:
        # First the interaction, then what it changed: the CRM applies events in order.
        events.interaction_recorded(session, interaction, contact, person)
    change: BulkEmailChange | None = None
    if recipient.new_address and interaction.reason == "has_moved":
        contact.new_address = normalise_address(recipient.new_address)[:512]
    if interaction.kind == "bounce" and interaction.severity == "hard":
        change = await suppress(
            session,
            contact=contact,
            person=person,
            reason=HARD_BOUNCE,
            why=f"hard bounce: {interaction.reason} ({interaction.status or interaction.reply_code or '-'}): "
            f"{interaction.diagnostic[:300]}",
            actor=ACTOR,
            at=at,
            interaction=interaction,
        )
    elif interaction.kind == "bounce" and interaction.side == "recipient":
        weighed = await weigh_soft_bounce(
            session,
            contact,
            interaction,
            limit=settings.soft_bounce_limit,
            window_days=settings.soft_bounce_window_days,
        )
        if weighed.escalate and contact.bulk_email != DO_NOT_ALLOW:
            change = await suppress(
                session,
                contact=contact,
                person=person,
                reason=SOFT_BOUNCE_LIMIT,
                why=f"{weighed.days_in_window} days with recipient-side soft bounces within "
                f"{settings.soft_bounce_window_days} days (limit {settings.soft_bounce_limit}); "
                f"last: {interaction.reason}",
                actor=ACTOR,
                at=at,
                interaction=interaction,
            )
            if change is not None:
                outcome.escalated.append(contact.address)
    elif interaction.kind == "delivered":
        await reset_on_success(session, contact, at, window_days=settings.soft_bounce_window_days)
    elif interaction.kind == "complaint" and report.feedback_type.lower() in UNSUBSCRIBING_FEEDBACK:
        change = await set_bulk_email(
            session,
            contact=contact,
            person=person,
            contact_value=DO_NOT_ALLOW,
            person_value=DO_NOT_ALLOW,
            reason=COMPLAINT,
            why=f"ARF complaint, feedback type {report.feedback_type}",
            actor=ACTOR,
            at=at,
            interaction=interaction,
        )
    if interaction.kind == "bounce" and interaction.side == "sender":
        incident = await note_sender_side_failure(
            session,
            interaction,
            threshold=settings.incident_threshold,
            window_minutes=settings.incident_window_minutes,
        )
        if incident is not None and incident.id not in outcome.incidents:
            outcome.incidents.append(incident.id)
    if change is not None:
        outcome.changes.append(change)
