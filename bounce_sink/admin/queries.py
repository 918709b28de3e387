"""Read models for the admin pages and JSON API: what an admin looks at, read only.

Every function takes a session and returns plain frozen dataclasses, so the
HTML pages and the JSON API show the same facts and neither can trigger hidden
I/O (the ORM relationships are ``lazy="raise"``). Raw message bytes are never
loaded by a list query: a bounce can carry megabytes of returned original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, get_args

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from bounce_sink.classify.taxonomy import Severity
from bounce_sink.store.dsn_views import interactions_by_message
from bounce_sink.store.models import (
    AuditEntry,
    Contact,
    Incident,
    Interaction,
    Message,
    Person,
)
from bounce_sink.store.states import MESSAGE_STATES

SEVERITIES: tuple[str, ...] = get_args(Severity)  # the taxonomy's own list
CODES = ("bounce_hb", "bounce_df", "bounce_fm", "bounce_tr")
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class DsnFilter:
    """The list filters; empty strings mean "any"."""

    state: str = ""
    reason: str = ""
    severity: str = ""
    code: str = ""
    address: str = ""
    mailing: str = ""
    page: int = 1
    per_page: int = 50

    def normalised(self) -> DsnFilter:
        return DsnFilter(
            state=self.state.strip(),
            reason=self.reason.strip(),
            severity=self.severity.strip(),
            code=self.code.strip(),
            address=self.address.strip(),
            mailing=self.mailing.strip(),
            page=max(1, self.page),
            per_page=min(MAX_PER_PAGE, max(1, self.per_page)),
        )


@dataclass(frozen=True)
class RecipientView:
    """One interaction as the admin sees it: the exact text and why we decided."""

    id: int
    message_id: int
    contact_id: int | None
    kind: str
    address: str
    original_recipient: str
    action: str
    status: str
    reply_code: str
    diagnostic: str
    remote_mta: str
    reason: str
    side: str
    severity: str
    code: str | None
    rule: str
    heuristic: bool
    feedback_type: str
    mailing_id: str
    original_message_id: str
    occurred_at: datetime
    superseded_by: int | None


@dataclass(frozen=True)
class DsnRow:
    id: int
    received_at: datetime
    state: str
    kind: str
    format: str
    subject: str
    peer: str
    mail_from: str
    size: int
    raw_truncated: bool
    error: str
    recipients: list[RecipientView] = field(default_factory=list)


@dataclass(frozen=True)
class DsnPage:
    filter: DsnFilter
    rows: list[DsnRow]
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filter.per_page))

    @property
    def has_next(self) -> bool:
        return self.filter.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.filter.page > 1


@dataclass(frozen=True)
class DsnDetail:
    id: int
    received_at: datetime
    processed_at: datetime | None
    source: str
    peer: str
    helo: str
    mail_from: str
    rcpt_tos: list[str]
    size: int
    sha256: str
    raw_truncated: bool
    raw_available: bool
    state: str
    error: str
    quarantine_reason: str
    kind: str
    format: str
    subject: str
    from_header: str
    reporting_mta: str
    original_message_id: str
    envelope_id: str
    verp_tag: str
    recipients: list[RecipientView]


@dataclass(frozen=True)
class ContactRow:
    id: int
    address: str
    bulk_email: str
    bulk_email_reason: str
    bulk_email_since: datetime | None
    soft_bounce_count: int
    crm_person_id: str | None


@dataclass(frozen=True)
class PersonView:
    id: int
    crm_person_id: str | None
    bulk_email: str
    bulk_email_reason: str
    bulk_email_since: datetime | None
    bulk_email_interaction_id: int | None
    addresses: list[str]


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: int
    field: str
    old_value: str
    new_value: str
    why: str
    interaction_id: int | None


@dataclass(frozen=True)
class ContactDetail:
    id: int
    address: str
    bulk_email: str
    bulk_email_reason: str
    bulk_email_since: datetime | None
    cause: RecipientView | None
    is_primary: bool
    new_address: str
    soft_bounce_count: int
    soft_bounce_first_at: datetime | None
    soft_bounce_last_at: datetime | None
    last_success_at: datetime | None
    created_at: datetime
    person: PersonView | None
    person_cause: RecipientView | None
    audit: list[AuditView]
    interactions: list[RecipientView]


@dataclass(frozen=True)
class IncidentView:
    id: int
    domain: str
    reason: str
    opened_at: datetime
    last_seen_at: datetime
    count: int
    sample_diagnostic: str
    closed_at: datetime | None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class DayCount:
    day: str
    total: int
    hard: int
    soft: int


@dataclass(frozen=True)
class Stats:
    since: datetime
    messages_by_state: dict[str, int]
    by_reason: dict[str, int]
    by_code: dict[str, int]
    by_severity: dict[str, int]
    by_day: list[DayCount]


def recipient_view(row: Interaction) -> RecipientView:
    return RecipientView(
        id=row.id,
        message_id=row.message_id,
        contact_id=row.contact_id,
        kind=row.kind,
        address=row.address,
        original_recipient=row.original_recipient or "",
        action=row.action or "",
        status=row.status or "",
        reply_code=row.reply_code or "",
        diagnostic=row.diagnostic or "",
        remote_mta=row.remote_mta or "",
        reason=row.reason,
        side=row.side,
        severity=row.severity,
        code=row.code,
        rule=row.rule,
        heuristic=bool(row.heuristic),
        feedback_type=row.feedback_type or "",
        mailing_id=row.mailing_id or "",
        original_message_id=row.original_message_id or "",
        occurred_at=row.occurred_at,
        superseded_by=row.superseded_by,
    )


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _dsn_conditions(flt: DsnFilter) -> list[Any]:
    conditions: list[Any] = []
    if flt.state:
        conditions.append(Message.state == flt.state)
    interaction_terms: list[Any] = []
    if flt.reason:
        interaction_terms.append(Interaction.reason == flt.reason)
    if flt.severity:
        interaction_terms.append(Interaction.severity == flt.severity)
    if flt.code:
        interaction_terms.append(Interaction.code == flt.code)
    if flt.mailing:
        interaction_terms.append(Interaction.mailing_id == flt.mailing)
    if flt.address:
        pattern = _like_pattern(flt.address)
        interaction_terms.append(
            or_(
                func.lower(Interaction.address).like(pattern, escape="\\"),
                func.lower(Interaction.original_recipient).like(pattern, escape="\\"),
            )
        )
    if interaction_terms:
        # One recipient must match all terms: "hard bounces of alice@", not
        # "a message with some hard bounce and some alice@"; and by its current
        # reading: after `reclassify` a hard bounce read again as soft is soft
        # here too, as in `dsn list` and the stats.
        conditions.append(
            exists().where(
                and_(
                    Interaction.message_id == Message.id,
                    Interaction.superseded_by.is_(None),
                    *interaction_terms,
                )
            )
        )
    return conditions


async def _recipients_by_message(
    session: AsyncSession, message_ids: list[int]
) -> dict[int, list[RecipientView]]:
    rows = await interactions_by_message(session, message_ids)
    return {mid: [recipient_view(r) for r in found] for mid, found in rows.items()}


async def list_dsns(session: AsyncSession, flt: DsnFilter) -> DsnPage:
    """Messages newest first, with their recipients' verdicts, one page at a time."""
    flt = flt.normalised()
    conditions = _dsn_conditions(flt)
    total = await session.scalar(select(func.count(Message.id)).where(*conditions)) or 0
    query = (
        select(Message)
        .options(defer(Message.raw, raiseload=True))
        .where(*conditions)
        .order_by(Message.received_at.desc(), Message.id.desc())
        .limit(flt.per_page)
        .offset((flt.page - 1) * flt.per_page)
    )
    messages = list(await session.scalars(query))
    recipients = await _recipients_by_message(session, [m.id for m in messages])
    rows = [
        DsnRow(
            id=m.id,
            received_at=m.received_at,
            state=m.state,
            kind=m.kind or "",
            format=m.format or "",
            subject=m.subject or "",
            peer=m.peer or "",
            mail_from=m.mail_from or "",
            size=m.size,
            raw_truncated=bool(m.raw_truncated),
            error=m.error or "",
            recipients=recipients[m.id],
        )
        for m in messages
    ]
    return DsnPage(filter=flt, rows=rows, total=int(total))


async def get_dsn(session: AsyncSession, message_id: int) -> DsnDetail | None:
    """One message with every recipient's verdict; the raw bytes stay in the store."""
    found = (
        await session.execute(
            select(Message, Message.raw.is_not(None))
            .options(defer(Message.raw, raiseload=True))
            .where(Message.id == message_id)
        )
    ).one_or_none()
    if found is None:
        return None
    message, raw_available = found
    recipients = (await _recipients_by_message(session, [message_id]))[message_id]
    return DsnDetail(
        id=message.id,
        received_at=message.received_at,
        processed_at=message.processed_at,
        source=message.source,
        peer=message.peer or "",
        helo=message.helo or "",
        mail_from=message.mail_from or "",
        rcpt_tos=[str(r) for r in (message.rcpt_tos or [])],
        size=message.size,
        sha256=message.sha256,
        raw_truncated=bool(message.raw_truncated),
        raw_available=bool(raw_available),
        state=message.state,
        error=message.error or "",
        quarantine_reason=message.quarantine_reason or "",
        kind=message.kind or "",
        format=message.format or "",
        subject=message.subject or "",
        from_header=message.from_header or "",
        reporting_mta=message.reporting_mta or "",
        original_message_id=message.original_message_id or "",
        envelope_id=message.envelope_id or "",
        verp_tag=message.verp_tag or "",
        recipients=recipients,
    )


async def get_raw(session: AsyncSession, message_id: int, limit: int | None = None) -> bytes | None:
    """The stored source (or its first `limit` bytes); None when absent or purged."""
    column: Any = Message.raw if limit is None else func.substr(Message.raw, 1, limit)
    raw = await session.scalar(select(column).where(Message.id == message_id))
    return bytes(raw) if raw is not None else None


async def search_contacts(
    session: AsyncSession, query: str = "", bulk_email: str = "", limit: int = 100
) -> list[ContactRow]:
    """Contacts whose address contains `query`; do-not-allow first, then by address."""
    stmt = select(Contact, Person.crm_person_id).outerjoin(Person, Contact.person_id == Person.id)
    if query.strip():
        stmt = stmt.where(
            func.lower(Contact.address).like(_like_pattern(query.strip()), escape="\\")
        )
    if bulk_email:
        stmt = stmt.where(Contact.bulk_email == bulk_email)
    stmt = stmt.order_by((Contact.bulk_email == "allow").asc(), Contact.address).limit(
        min(MAX_PER_PAGE, max(1, limit))
    )
    rows = (await session.execute(stmt)).all()
    return [
        ContactRow(
            id=c.id,
            address=c.address,
            bulk_email=c.bulk_email,
            bulk_email_reason=c.bulk_email_reason or "",
            bulk_email_since=c.bulk_email_since,
            soft_bounce_count=c.soft_bounce_count or 0,
            crm_person_id=crm_id,
        )
        for c, crm_id in rows
    ]


async def _interaction(session: AsyncSession, interaction_id: int | None) -> RecipientView | None:
    if interaction_id is None:
        return None
    row = await session.get(Interaction, interaction_id)
    return recipient_view(row) if row is not None else None


async def get_contact(session: AsyncSession, address: str) -> ContactDetail | None:
    """A contact by address, with its person, cause and audit trail.

    Found as a bounce finds it (`policy.contacts.find_contact`: the normalised
    address, IDN domains as A-labels, else a unique case-insensitive match), so
    the page shows what `contacts show` shows for the same address.
    """
    from bounce_sink.policy.contacts import find_contact

    contact = await find_contact(session, address)
    if contact is None:
        return None
    person_view: PersonView | None = None
    person_cause: RecipientView | None = None
    audit_terms: list[Any] = [
        and_(AuditEntry.entity == "contact", AuditEntry.entity_id == contact.id)
    ]
    if contact.person_id is not None:
        person = await session.get(Person, contact.person_id)
        if person is not None:
            addresses = list(
                await session.scalars(
                    select(Contact.address)
                    .where(Contact.person_id == person.id)
                    .order_by(Contact.is_primary.desc(), Contact.address)
                )
            )
            person_view = PersonView(
                id=person.id,
                crm_person_id=person.crm_person_id,
                bulk_email=person.bulk_email,
                bulk_email_reason=person.bulk_email_reason or "",
                bulk_email_since=person.bulk_email_since,
                bulk_email_interaction_id=person.bulk_email_interaction_id,
                addresses=addresses,
            )
            person_cause = await _interaction(session, person.bulk_email_interaction_id)
            audit_terms.append(
                and_(AuditEntry.entity == "person", AuditEntry.entity_id == person.id)
            )
    audit = [
        AuditView(
            id=a.id,
            at=a.at,
            actor=a.actor,
            entity=a.entity,
            entity_id=a.entity_id,
            field=a.field,
            old_value=a.old_value or "",
            new_value=a.new_value or "",
            why=a.why or "",
            interaction_id=a.interaction_id,
        )
        for a in await session.scalars(
            select(AuditEntry)
            .where(or_(*audit_terms))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    ]
    interactions = [
        recipient_view(i)
        for i in await session.scalars(
            select(Interaction)
            .where(
                or_(Interaction.contact_id == contact.id, Interaction.address == contact.address)
            )
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(MAX_PER_PAGE)
        )
    ]
    return ContactDetail(
        id=contact.id,
        address=contact.address,
        bulk_email=contact.bulk_email,
        bulk_email_reason=contact.bulk_email_reason or "",
        bulk_email_since=contact.bulk_email_since,
        cause=await _interaction(session, contact.bulk_email_interaction_id),
        is_primary=bool(contact.is_primary),
        new_address=contact.new_address or "",
        soft_bounce_count=contact.soft_bounce_count or 0,
        soft_bounce_first_at=contact.soft_bounce_first_at,
        soft_bounce_last_at=contact.soft_bounce_last_at,
        last_success_at=contact.last_success_at,
        created_at=contact.created_at,
        person=person_view,
        person_cause=person_cause,
        audit=audit,
        interactions=interactions,
    )


async def list_incidents(session: AsyncSession, limit: int = 100) -> list[IncidentView]:
    """Open incidents first, then the most recently seen."""
    rows = await session.scalars(
        select(Incident)
        .order_by(Incident.closed_at.is_not(None), Incident.last_seen_at.desc())
        .limit(limit)
    )
    return [
        IncidentView(
            id=i.id,
            domain=i.domain,
            reason=i.reason,
            opened_at=i.opened_at,
            last_seen_at=i.last_seen_at,
            count=i.count,
            sample_diagnostic=i.sample_diagnostic or "",
            closed_at=i.closed_at,
        )
        for i in rows
    ]


async def messages_by_state(session: AsyncSession) -> dict[str, int]:
    rows = (
        await session.execute(select(Message.state, func.count(Message.id)).group_by(Message.state))
    ).all()
    counts = dict.fromkeys(MESSAGE_STATES, 0)
    counts.update({str(state): int(n) for state, n in rows})
    return counts


async def interactions_by_reason_code(session: AsyncSession) -> list[tuple[str, str, str, int]]:
    """(reason, severity, code or "", count) over current (not superseded) interactions."""
    rows = (
        await session.execute(
            select(
                Interaction.reason,
                Interaction.severity,
                Interaction.code,
                func.count(Interaction.id),
            )
            .where(Interaction.superseded_by.is_(None))
            .group_by(Interaction.reason, Interaction.severity, Interaction.code)
            .order_by(Interaction.reason, Interaction.severity, Interaction.code)
        )
    ).all()
    return [(str(r), str(s), str(c or ""), int(n)) for r, s, c, n in rows]


def _day_key(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


async def stats(session: AsyncSession, days: int = 30, now: datetime | None = None) -> Stats:
    """Counts over the last `days` days by the DSN's own date, plus all messages by state."""
    now = now or datetime.now(UTC)
    since = now - timedelta(days=max(1, days))
    current = and_(Interaction.superseded_by.is_(None), Interaction.occurred_at >= since)

    async def grouped(column: Any) -> dict[str, int]:
        rows = (
            await session.execute(
                select(column, func.count(Interaction.id)).where(current).group_by(column)
            )
        ).all()
        return {
            str(key if key is not None else ""): int(n)
            for key, n in sorted(rows, key=lambda r: -r[1])
        }

    day = func.date(Interaction.occurred_at)
    day_rows = (
        await session.execute(
            select(
                day,
                func.count(Interaction.id),
                func.sum(case((Interaction.severity == "hard", 1), else_=0)),
                func.sum(case((Interaction.severity == "soft", 1), else_=0)),
            )
            .where(current)
            .group_by(day)
            .order_by(day.desc())
        )
    ).all()
    return Stats(
        since=since,
        messages_by_state=await messages_by_state(session),
        by_reason=await grouped(Interaction.reason),
        by_code={k: v for k, v in (await grouped(Interaction.code)).items() if k},
        by_severity=await grouped(Interaction.severity),
        by_day=[
            DayCount(day=_day_key(d), total=int(t), hard=int(h or 0), soft=int(s or 0))
            for d, t, h, s in day_rows
        ],
    )


async def count_open_incidents(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count(Incident.id)).where(Incident.closed_at.is_(None)))
        or 0
    )
