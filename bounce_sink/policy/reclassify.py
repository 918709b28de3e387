"""Re-reading stored bounces with today's parser and rules, so better rules fix old results.

For each stored raw message: parse again, classify each recipient again,
and where the verdict changed, update the interaction and audit the change
(actor `reclassify`, old -> new). Consequences go through the policy:
- a former hard bounce that is now soft (or no failure) re-allows the address
  when that hard bounce was why it was blocked;
- a former soft bounce that is now hard suppresses the address;
- soft counts are recomputed (a bounce now known to be sender-side stops
  counting), and an escalation that no longer holds is reversed.
Recipients the old parser missed get their interactions through `apply_report`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.classify import classify_recipient
from bounce_sink.config import Settings
from bounce_sink.parse import parse_message
from bounce_sink.parse.report import RecipientStatus, Report
from bounce_sink.policy.addresses import normalise_address
from bounce_sink.policy.apply import apply_report, dedupe_key, interaction_kind
from bounce_sink.policy.audit_trail import record_audit
from bounce_sink.policy.bulk_email import (
    ALLOW,
    HARD_BOUNCE,
    RECLASSIFY,
    SOFT_BOUNCE_LIMIT,
    set_bulk_email,
    suppress,
)
from bounce_sink.policy.contacts import person_of
from bounce_sink.policy.forgery import candidates
from bounce_sink.policy.locks import lock_addresses
from bounce_sink.policy.soft_bounces import recount, weigh_soft_bounce
from bounce_sink.store.models import Contact, Interaction, Message, Person
from bounce_sink.store.utc import as_utc

ACTOR = "reclassify"
COMPARED = ("reason", "side", "severity", "code", "kind")

log = structlog.get_logger(__name__)


@dataclass
class InteractionChange:
    """One interaction whose verdict changed, and what the policy did about it."""

    interaction_id: int
    message_id: int
    address: str
    old: dict[str, str | None]
    new: dict[str, str | None]
    consequence: str = ""


@dataclass
class ReclassifyResult:
    messages: int = 0
    changed: list[InteractionChange] = field(default_factory=list)
    new_interactions: int = 0
    errors: list[str] = field(default_factory=list)


def _match(interaction: Interaction, report: Report, message: Message) -> RecipientStatus | None:
    for recipient in report.recipients:
        if dedupe_key(report, message, recipient) == interaction.dedupe_key:
            return recipient
    for recipient in report.recipients:
        if normalise_address(recipient.address).lower() == interaction.address.lower():
            return recipient
    return None


async def _reallow(
    session: AsyncSession,
    contact: Contact,
    person: Person | None,
    *,
    person_too: bool,
    why: str,
    interaction: Interaction,
) -> None:
    """Undo a suppression whose cause no longer holds; the person's only if the same cause."""
    await set_bulk_email(
        session,
        contact=contact,
        person=person,
        contact_value=ALLOW,
        person_value=ALLOW if person_too else None,
        reason=RECLASSIFY,
        why=why,
        actor=ACTOR,
        at=datetime.now(UTC),
        interaction=interaction,
    )


async def _consequences(
    session: AsyncSession, settings: Settings, interaction: Interaction, old_severity: str
) -> str:
    if interaction.contact_id is None or interaction.quarantined:
        return ""
    contact = await session.get(Contact, interaction.contact_id)
    if contact is None:
        return ""
    person = await person_of(session, contact)
    was_cause = contact.bulk_email_interaction_id == interaction.id
    if (
        old_severity == "hard"
        and interaction.severity != "hard"
        and was_cause
        and contact.bulk_email_reason == HARD_BOUNCE
    ):
        await _reallow(
            session,
            contact,
            person,
            person_too=person is not None and person.bulk_email_interaction_id == interaction.id,
            why=f"interaction {interaction.id} is now {interaction.reason}/{interaction.severity}, "
            "not a hard bounce",
            interaction=interaction,
        )
        consequence = "re-allowed"
    elif interaction.severity == "hard" and interaction.kind == "bounce" and old_severity != "hard":
        change = await suppress(
            session,
            contact=contact,
            person=person,
            reason=HARD_BOUNCE,
            why=f"reclassified as a hard bounce: {interaction.reason}: {interaction.diagnostic[:300]}",
            actor=ACTOR,
            at=as_utc(interaction.occurred_at),
            interaction=interaction,
        )
        return "suppressed" if change else ""
    else:
        consequence = ""
    counts = (
        interaction.kind == "bounce"
        and interaction.severity == "soft"
        and interaction.side == "recipient"
    )
    if counts:
        weighed = await weigh_soft_bounce(
            session,
            contact,
            interaction,
            limit=settings.soft_bounce_limit,
            window_days=settings.soft_bounce_window_days,
        )
        if weighed.escalate and contact.bulk_email == ALLOW:
            await suppress(
                session,
                contact=contact,
                person=person,
                reason=SOFT_BOUNCE_LIMIT,
                why=f"reclassified: {weighed.days_in_window} days with soft bounces",
                actor=ACTOR,
                at=as_utc(interaction.occurred_at),
                interaction=interaction,
            )
            consequence = consequence or "escalated"
    else:
        interaction.counted = False
        await session.flush()
        days = await recount(session, contact, window_days=settings.soft_bounce_window_days)
        if (
            contact.bulk_email_reason == SOFT_BOUNCE_LIMIT
            and contact.bulk_email != ALLOW
            and days < settings.soft_bounce_limit
        ):
            await _reallow(
                session,
                contact,
                person,
                person_too=person is not None and person.bulk_email_reason == SOFT_BOUNCE_LIMIT,
                why=f"interaction {interaction.id} no longer counts; {days} days of soft bounces remain",
                interaction=interaction,
            )
            consequence = consequence or "escalation reversed"
    return consequence


async def reclassify_message(
    session: AsyncSession, message: Message, settings: Settings, result: ReclassifyResult
) -> None:
    """Re-read one message and apply what changed. Does not commit."""
    if message.raw is None:
        return
    report = parse_message(message.raw)
    await lock_addresses(session, [a for r in report.recipients for a in candidates(r)])
    existing = (
        (
            await session.execute(
                select(Interaction).where(
                    Interaction.message_id == message.id, Interaction.superseded_by.is_(None)
                )
            )
        )
        .scalars()
        .all()
    )
    now = datetime.now(UTC)
    for interaction in existing:
        recipient = _match(interaction, report, message)
        if recipient is None:
            continue
        verdict = classify_recipient(recipient, report)
        new_values: dict[str, str | None] = {
            "reason": verdict.reason,
            "side": verdict.side,
            "severity": verdict.severity,
            "code": verdict.code,
            "kind": interaction_kind(report, recipient, verdict),
        }
        old_values: dict[str, str | None] = {name: getattr(interaction, name) for name in COMPARED}
        new_key = dedupe_key(report, message, recipient)
        if new_key != interaction.dedupe_key:
            interaction.dedupe_key = new_key
        if new_values == old_values:
            continue
        for name in COMPARED:
            if old_values[name] != new_values[name]:
                record_audit(
                    session,
                    entity="interaction",
                    entity_id=interaction.id,
                    field=name,
                    old=old_values[name] or "",
                    new=new_values[name] or "",
                    why=f"rule {interaction.rule} -> {verdict.rule}",
                    actor=ACTOR,
                    at=now,
                    interaction=interaction,
                )
        interaction.reason = verdict.reason
        interaction.side = verdict.side
        interaction.severity = verdict.severity
        interaction.code = verdict.code
        interaction.kind = new_values["kind"] or interaction.kind
        interaction.rule = verdict.rule[:128]
        interaction.status = recipient.status[:16]
        interaction.reply_code = recipient.reply_code[:8]
        interaction.diagnostic = recipient.diagnostic
        await session.flush()
        change = InteractionChange(
            interaction_id=interaction.id,
            message_id=message.id,
            address=interaction.address,
            old=old_values,
            new=new_values,
        )
        change.consequence = await _consequences(
            session, settings, interaction, old_values["severity"] or ""
        )
        result.changed.append(change)
        log.info(
            "interaction_reclassified",
            interaction_id=interaction.id,
            message_id=message.id,
            old=f"{old_values['reason']}/{old_values['severity']}",
            new=f"{verdict.reason}/{verdict.severity}",
            consequence=change.consequence,
        )
    if (
        message.state in ("unparsed", "other", "pending")
        or not existing
        or len(report.recipients) > len(existing)
    ):
        outcome = await apply_report(session, message, report, settings)
        result.new_interactions += len(outcome.interactions)
    result.messages += 1


async def _message_ids(
    sessionmaker: async_sessionmaker[AsyncSession], since: datetime | None
) -> AsyncIterator[int]:
    async with sessionmaker() as session:
        query = select(Message.id).where(Message.raw.is_not(None)).order_by(Message.id)
        if since is not None:
            query = query.where(Message.received_at >= since)
        ids = list((await session.execute(query)).scalars())
    for message_id in ids:
        yield message_id


async def reclassify(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    since: datetime | None = None,
) -> ReclassifyResult:
    """Re-run every stored raw message (received since `since`) through parse + rules + policy.

    One transaction per message, so a failure on one message rolls back only
    that message and is reported in `errors`.
    """
    result = ReclassifyResult()
    async for message_id in _message_ids(sessionmaker, since):
        try:
            async with sessionmaker() as session, session.begin():
                message = await session.get(Message, message_id)
                if message is not None:
                    await reclassify_message(session, message, settings, result)
        except Exception as exc:
            result.errors.append(f"message {message_id}: {type(exc).__name__}: {exc}")
            log.error("reclassify_failed", message_id=message_id, error=str(exc))
    return result
