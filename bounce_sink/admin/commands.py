"""Command-line views over the store: `dsn list`, `dsn show`, `stats`.

Registered explicitly by bounce_sink.cli. Every view takes `--json`: lists are
JSON lines (one object per message), single things one JSON document, so
scripts and checks read exactly what a person sees.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, get_args

import click

from bounce_sink.classify.taxonomy import Severity
from bounce_sink.cli_context import (
    print_json,
    run_in_session,
    run_with_store,
    settings_from,
    store_options,
)
from bounce_sink.store.states import MESSAGE_STATES

if TYPE_CHECKING:  # the store is imported only when a command runs, not for --help
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def _parse_since(value: str | None) -> datetime | None:
    """ISO date/time, or a relative age like 7d, 12h, 30m."""
    if not value:
        return None
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if value[-1:] in units and value[:-1].isdigit():
        return datetime.now(UTC) - timedelta(**{units[value[-1]]: int(value[:-1])})
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use an ISO date (2026-11-01, 2026-11-01T08:00) or an age (7d, 12h, 30m)",
            param_hint="--since",
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _summary(recipients: list[dict[str, Any]]) -> str:
    if not recipients:
        return "-"
    first = recipients[0]
    text = f"{first['address']} {first['reason']}/{first['severity']} {first['code'] or '-'}"
    return text + (f" (+{len(recipients) - 1})" if len(recipients) > 1 else "")


@click.group("dsn")
def dsn_group() -> None:
    """Look at stored messages (DSNs and anything else received)."""


@dsn_group.command("list")
@click.option("--state", type=click.Choice(MESSAGE_STATES), help="Only messages in this state.")
@click.option("--reason", help="Only messages with a recipient of this reason (e.g. user_unknown).")
@click.option("--severity", type=click.Choice(get_args(Severity)), help="Only with this severity.")
@click.option(
    "--code", help="Only with this CRM code (bounce_hb, bounce_df, bounce_fm, bounce_tr)."
)
@click.option("--address", help="Only messages reporting on this recipient address.")
@click.option("--since", help="Received at or after: ISO date/time or an age (7d, 12h).")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one message per line.")
@store_options
@click.pass_context
def dsn_list(
    ctx: click.Context,
    state: str | None,
    reason: str | None,
    severity: str | None,
    code: str | None,
    address: str | None,
    since: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Newest messages first, with how each was classified."""
    from bounce_sink.store.dsn_views import DsnQuery, list_dsns

    query = DsnQuery(
        state=state,
        reason=reason,
        severity=severity,
        code=code,
        address=address,
        since=_parse_since(since),
        limit=limit,
    )
    rows = run_in_session(settings_from(ctx), lambda session: list_dsns(session, query))
    if as_json:
        for row in rows:
            print_json(row)
        return
    if not rows:
        click.echo("no messages match", err=True)
        return
    click.echo(
        f"{'ID':>6}  {'RECEIVED':<19}  {'STATE':<11}  {'KIND':<9}  RECIPIENT REASON/SEVERITY CODE"
    )
    for row in rows:
        received = (row["received_at"] or "")[:19].replace("T", " ")
        click.echo(
            f"{row['id']:>6}  {received:<19}  {row['state']:<11}  {row['kind'] or '-':<9}  "
            f"{_summary(row['recipients'])}"
        )


@dsn_group.command("show")
@click.argument("message_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="One JSON document (raw source as text).")
@store_options
@click.option("--raw", "raw_only", is_flag=True, help="Print only the raw bytes as stored.")
@click.pass_context
def dsn_show(ctx: click.Context, message_id: int, as_json: bool, raw_only: bool) -> None:
    """Parsed fields, each recipient's classification and rule, and the raw source."""
    from bounce_sink.store.dsn_views import show_dsn

    found = run_in_session(settings_from(ctx), lambda session: show_dsn(session, message_id))
    if found is None:
        raise click.ClickException(
            f"no message {message_id}; `bounce-sink dsn list` shows the stored ids"
        )
    view, raw = found
    if raw_only:
        sys.stdout.buffer.write(raw)
        return
    text = raw.decode("utf-8", errors="replace")
    if as_json:
        print_json({**view, "raw": text})
        return
    _print_detail(view, text)


@dsn_group.command("retry")
@click.argument("message_ids", nargs=-1, type=int)
@click.option("--all-unparsed", is_flag=True, help="Every message now in state unparsed.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines: id and new state.")
@store_options
@click.pass_context
def dsn_retry(
    ctx: click.Context, message_ids: tuple[int, ...], all_unparsed: bool, as_json: bool
) -> None:
    """Process unparsed (or still pending) messages again, e.g. after a parser fix.

    Parsed messages are left alone: `bounce-sink reclassify` re-runs those.
    """
    from sqlalchemy import select, update

    from bounce_sink.processing import Processor
    from bounce_sink.store.models import Message

    if not message_ids and not all_unparsed:
        raise click.UsageError("give message ids, or --all-unparsed")
    settings = settings_from(ctx)

    async def job(sm: async_sessionmaker[AsyncSession]) -> list[tuple[int, str]]:
        async with sm() as session:
            wanted = select(Message.id).where(Message.state.in_(("unparsed", "pending")))
            if message_ids:
                wanted = wanted.where(Message.id.in_(message_ids))
            ids = list((await session.execute(wanted.order_by(Message.id))).scalars())
            await session.execute(
                update(Message).where(Message.id.in_(ids)).values(state="pending", error="")
            )
            await session.commit()
        processor = Processor(settings, sm)
        results = []
        for message_id in ids:
            state = await processor.process(message_id)
            results.append((message_id, state or "pending"))
        return results

    results = run_with_store(settings, job)
    skipped = sorted(set(message_ids) - {i for i, _ in results})
    for message_id, state in results:
        if as_json:
            print_json({"id": message_id, "state": state})
        else:
            click.echo(f"message {message_id}: {state}")
    if skipped:
        click.echo(
            f"not retried (unknown, or not unparsed/pending): {', '.join(map(str, skipped))}",
            err=True,
        )


def _print_detail(view: dict[str, Any], raw_text: str) -> None:
    fields = [
        ("Message", view["id"]),
        ("Received", f"{view['received_at']} via {view['source']} from {view['peer'] or '-'}"),
        ("HELO", view["helo"]),
        ("MAIL FROM", view["mail_from"]),
        ("RCPT TO", ", ".join(view["rcpt_tos"])),
        ("Size", f"{view['size']} bytes" + (" (stored truncated)" if view["truncated"] else "")),
        ("State", view["state"] + (f": {view['error']}" if view["error"] else "")),
        ("Kind", f"{view['kind'] or '-'} ({view['format'] or '-'})"),
        ("Subject", view["subject"]),
        ("From", view["from"]),
        ("Reporting-MTA", view["reporting_mta"]),
        ("Original Message-ID", view["original_message_id"]),
    ]
    if view["quarantine_reason"]:
        fields.append(("Quarantined", view["quarantine_reason"]))
    for label, value in fields:
        if value not in ("", None):
            click.echo(f"{label + ':':<21}{value}")
    click.echo("")
    click.echo(f"Recipients ({len(view['recipients'])}):")
    for r in view["recipients"]:
        old = " [superseded]" if r["superseded_by"] else ""
        click.echo(
            f"  {r['address']}: {r['action'] or '-'} {r['status'] or '-'} {r['reply_code'] or '-'} "
            f"-> {r['reason']} / {r['side']} / {r['severity']} / {r['code'] or '-'} "
            f"[rule {r['rule']}]{old}"
        )
        if r["diagnostic"]:
            click.echo(f"    {r['diagnostic']}")
    click.echo("")
    click.echo("Raw source:" if raw_text else "Raw source: (purged)")
    click.echo(raw_text, nl=not raw_text.endswith("\n"))


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@store_options
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool) -> None:
    """Counts of messages by state and of recipients by reason, severity and code."""
    from bounce_sink.store.dsn_views import stats

    result = run_in_session(settings_from(ctx), stats)
    if as_json:
        print_json(result)
        return
    click.echo(f"messages: {result['messages']}")
    for title, key in (
        ("by state", "by_state"),
        ("by reason", "by_reason"),
        ("by severity", "by_severity"),
        ("by code", "by_code"),
    ):
        click.echo(f"{title}:")
        for name, count in result[key].items():
            click.echo(f"  {name or '(none)':<20}{count:>8}")


def register(cli: click.Group) -> None:
    """Add this room's commands to the top-level group."""
    cli.add_command(dsn_group)
    cli.add_command(stats_cmd)
