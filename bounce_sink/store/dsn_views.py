"""Read-only views of stored messages and their results, shaped for the command line.

Plain dicts with JSON-ready values: the `--json` output of `dsn list`,
`dsn show` and `stats` is these dicts, so what a script reads is what a person
sees in the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from bounce_sink.store.models import Interaction, Message
from bounce_sink.store.utc import iso_utc


@dataclass(frozen=True)
class DsnQuery:
    """Filters of `dsn list`; None means "any"."""

    state: str | None = None
    reason: str | None = None
    severity: str | None = None
    code: str | None = None
    address: str | None = None  # a recipient the message reports on, any case
    since: datetime | None = None
    limit: int = 50


def recipient_view(row: Interaction) -> dict[str, Any]:
    return {
        "interaction_id": row.id,
        "address": row.address,
        "original_recipient": row.original_recipient,
        "kind": row.kind,
        "action": row.action,
        "status": row.status,
        "reply_code": row.reply_code,
        "diagnostic": row.diagnostic,
        "remote_mta": row.remote_mta,
        "reason": row.reason,
        "side": row.side,
        "severity": row.severity,
        "code": row.code,
        "rule": row.rule,
        "heuristic": row.heuristic,
        "feedback_type": row.feedback_type,
        "mailing_id": row.mailing_id,
        "original_message_id": row.original_message_id,
        "occurred_at": iso_utc(row.occurred_at),
        "superseded_by": row.superseded_by,
    }


def message_view(
    message: Message, recipients: Sequence[Interaction], *, raw_purged: bool
) -> dict[str, Any]:
    """`raw_purged` is passed in so a list need not load every message's raw bytes."""
    return {
        "id": message.id,
        "received_at": iso_utc(message.received_at),
        "processed_at": iso_utc(message.processed_at),
        "source": message.source,
        "peer": message.peer,
        "helo": message.helo,
        "mail_from": message.mail_from,
        "rcpt_tos": list(message.rcpt_tos),
        "size": message.size,
        "sha256": message.sha256,
        "truncated": message.raw_truncated,
        "raw_purged": raw_purged,
        "state": message.state,
        "error": message.error,
        "kind": message.kind,
        "format": message.format,
        "subject": message.subject,
        "from": message.from_header,
        "reporting_mta": message.reporting_mta,
        "original_message_id": message.original_message_id,
        "envelope_id": message.envelope_id,
        "verp_tag": message.verp_tag,
        "quarantine_reason": message.quarantine_reason,
        "recipients": [recipient_view(r) for r in recipients],
    }


async def interactions_by_message(
    session: AsyncSession, message_ids: Sequence[int]
) -> dict[int, list[Interaction]]:
    """Every recipient row of these messages (superseded ones too), in recording order.

    One query for a whole page of messages; both the CLI views here and the
    admin pages (admin/queries.py) build their recipient lists from it.
    """
    found: dict[int, list[Interaction]] = {i: [] for i in message_ids}
    if not message_ids:
        return found
    rows = await session.execute(
        select(Interaction)
        .where(Interaction.message_id.in_(message_ids))
        .order_by(Interaction.message_id, Interaction.id)
    )
    for row in rows.scalars():
        found[row.message_id].append(row)
    return found


async def list_dsns(session: AsyncSession, query: DsnQuery) -> list[dict[str, Any]]:
    """Newest first; reason/severity/code match any current recipient of the message."""
    stmt = (
        select(Message, Message.raw.is_(None))
        .options(defer(Message.raw, raiseload=True))
        .order_by(Message.id.desc())
        .limit(max(query.limit, 0))
    )
    if query.state:
        stmt = stmt.where(Message.state == query.state)
    if query.since:
        stmt = stmt.where(Message.received_at >= query.since.astimezone(UTC))
    conditions = []
    if query.reason:
        conditions.append(Interaction.reason == query.reason)
    if query.severity:
        conditions.append(Interaction.severity == query.severity)
    if query.code:
        conditions.append(Interaction.code == query.code)
    if query.address:
        conditions.append(func.lower(Interaction.address) == query.address.strip().lower())
    if conditions:
        matching = select(Interaction.message_id).where(
            Interaction.superseded_by.is_(None), *conditions
        )
        stmt = stmt.where(Message.id.in_(matching))
    found = (await session.execute(stmt)).all()
    by_message = await interactions_by_message(session, [m.id for m, _ in found])
    return [message_view(m, by_message[m.id], raw_purged=bool(purged)) for m, purged in found]


async def show_dsn(session: AsyncSession, message_id: int) -> tuple[dict[str, Any], bytes] | None:
    """The message's fields and recipients, and its raw bytes (empty once purged)."""
    message = await session.get(Message, message_id)
    if message is None:
        return None
    by_message = await interactions_by_message(session, [message_id])
    view = message_view(message, by_message[message_id], raw_purged=message.raw is None)
    return view, message.raw or b""


async def _counts(session: AsyncSession, column: Any, *where: Any) -> dict[str, int]:
    rows = await session.execute(
        select(column, func.count()).where(*where).group_by(column).order_by(column)
    )
    return {("" if key is None else str(key)): int(count) for key, count in rows.all()}


async def stats(session: AsyncSession) -> dict[str, Any]:
    """Counts of messages by state and of current recipients by reason/severity/code."""
    current = Interaction.superseded_by.is_(None)
    total = await session.scalar(select(func.count()).select_from(Message))
    return {
        "messages": int(total or 0),
        "by_state": await _counts(session, Message.state),
        "by_reason": await _counts(session, Interaction.reason, current),
        "by_severity": await _counts(session, Interaction.severity, current),
        "by_code": await _counts(session, Interaction.code, current),
    }
