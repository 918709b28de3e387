"""Command-line commands of the crm room, registered explicitly by bounce_sink.cli.

bounce-sink sync [--follow] [--json]     drain the outbox to the CRM (once, or until stopped)
bounce-sink sync status [--json]         depth, oldest undelivered, last success, dead letters
bounce-sink sync dead-letters [--json]   events the CRM refused for good
bounce-sink sync retry ID... | --all     send dead letters again
bounce-sink sync purge [--days N]        delete delivered events, keeping their count
bounce-sink crm address-change PERSON_ID ADDRESS   a new address entered in the CRM
"""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING, Any

import click

from bounce_sink.cli_context import (
    days_to_keep,
    print_json,
    run_committed,
    run_in_session,
    run_with_store,
    settings_from,
    store_options,
)
from bounce_sink.config import ConfigError

if TYPE_CHECKING:  # `parse` and `--help` should not pay for SQLAlchemy
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


@click.group("sync", invoke_without_command=True)
@click.option(
    "--follow",
    is_flag=True,
    help="Keep running: deliver new events as they come, until SIGINT/SIGTERM.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the run's counts as one JSON document."
)
@store_options
@click.pass_context
def sync_group(ctx: click.Context, follow: bool, as_json: bool) -> None:
    """Deliver outbox events to the CRM (settings.crm_adapter); once, or --follow."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_from(ctx)
    if settings.crm_adapter == "none":
        raise click.ClickException(
            "crm_adapter is 'none': set it to webhook, dataverse or csv (config or BOUNCE_SINK_CRM_ADAPTER)"
        )
    from bounce_sink.crm.adapters import make_adapter
    from bounce_sink.crm.worker import SyncStats, run_sync

    try:
        adapter = make_adapter(settings)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc

    async def job(sessionmaker: async_sessionmaker[AsyncSession]) -> SyncStats:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            return await run_sync(settings, sessionmaker, follow=follow, stop=stop, adapter=adapter)
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    stats = run_with_store(settings, job)
    if as_json:
        print_json(stats.as_dict())
    else:
        click.echo(
            f"{stats.delivered} delivered, {stats.retried} to retry, {stats.dead} dead letters "
            f"in {stats.batches} batches"
        )


@sync_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@store_options
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Outbox health: depth, oldest undelivered event, last success, dead letters."""
    from bounce_sink.crm.health import outbox_health

    settings = settings_from(ctx)

    health = run_in_session(settings, outbox_health)
    if as_json:
        print_json({"adapter": settings.crm_adapter, **health.as_json()})
        return
    last = (
        health.last_success_at.isoformat(timespec="seconds") if health.last_success_at else "never"
    )
    click.echo(f"adapter:             {settings.crm_adapter}")
    click.echo(f"outbox depth:        {health.depth} ({health.retrying} failed at least once)")
    click.echo(f"oldest undelivered:  {_age(health.oldest_undelivered_age_seconds)}")
    click.echo(f"last success:        {last}")
    click.echo(f"delivered:           {health.delivered}")
    click.echo(
        f"dead letters:        {health.dead_letters}"
        + ("  (see `bounce-sink sync dead-letters`)" if health.dead_letters else "")
    )


@sync_group.command("dead-letters")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one dead letter each.")
@click.option("--limit", default=1000, show_default=True, help="At most this many.")
@store_options
@click.pass_context
def dead_letters_cmd(ctx: click.Context, as_json: bool, limit: int) -> None:
    """Events the CRM refused for good, with the error it gave."""
    from bounce_sink.crm.dead_letters import list_dead_letters

    letters = run_in_session(settings_from(ctx), lambda session: list_dead_letters(session, limit))
    for letter in letters:
        if as_json:
            print_json(letter.as_json())
        else:
            click.echo(
                f"{letter.id}\t{letter.event_id}\t{letter.type}\t{letter.ordering_key}\t"
                f"attempts={letter.attempts}\t{letter.last_error}"
            )
    if not as_json and not letters:
        click.echo("no dead letters")


@sync_group.command("retry")
@click.argument("ids", nargs=-1)
@click.option("--all", "retry_all", is_flag=True, help="Every dead letter.")
@store_options
@click.pass_context
def retry_cmd(ctx: click.Context, ids: tuple[str, ...], retry_all: bool) -> None:
    """Send dead letters again: by outbox id or event id, or --all."""
    from sqlalchemy import select

    from bounce_sink.crm.dead_letters import retry_dead_letters
    from bounce_sink.store.models import OutboxEvent

    if retry_all == bool(ids):
        raise click.UsageError("give dead-letter IDs or --all (not both)")
    settings = settings_from(ctx)

    async def job(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, list[str]]:
        async with sessionmaker() as session, session.begin():
            if retry_all:
                return await retry_dead_letters(session, None), []
            numeric = [int(i) for i in ids if i.isdigit()]
            names = [i for i in ids if not i.isdigit()]
            rows = (
                await session.execute(
                    select(OutboxEvent.id, OutboxEvent.event_id).where(
                        OutboxEvent.dead.is_(True),
                        OutboxEvent.id.in_(numeric) | OutboxEvent.event_id.in_(names),
                    )
                )
            ).all()
            found = {str(r.id) for r in rows} | {r.event_id for r in rows}
            missing = [i for i in ids if i not in found]
            count = await retry_dead_letters(session, [r.id for r in rows]) if rows else 0
            return count, missing

    count, missing = run_with_store(settings, job)
    click.echo(f"{count} dead letter(s) queued again")
    if missing:
        raise click.ClickException(
            f"not dead letters: {', '.join(missing)}; `bounce-sink sync dead-letters` lists them"
        )


@sync_group.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Keep events delivered in the last N days (default: outbox_retention_days).",
)
@store_options
@click.pass_context
def purge_cmd(ctx: click.Context, days: int | None) -> None:
    """Delete delivered events older than the retention period.

    Undelivered events and dead letters stay; the delivered count and the
    last success stay in `sync status` and /metrics. `serve` does this hourly
    when outbox_retention_days is set (default 30).
    """
    from bounce_sink.crm.outbox_retention import purge_delivered
    from bounce_sink.store.retention import retention_cutoff

    settings = settings_from(ctx)
    keep = days_to_keep(days, settings.outbox_retention_days, "outbox_retention_days")

    purged = run_committed(settings, lambda s: purge_delivered(s, retention_cutoff(keep)))
    click.echo(f"purged {purged} event(s) delivered more than {keep} days ago")


@click.group("crm")
def crm_group() -> None:
    """Changes coming from the CRM."""


@crm_group.command("address-change")
@click.argument("person_id")
@click.argument("address")
@click.option(
    "--actor", default="crm", show_default=True, help="Who made the change (for the audit trail)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@store_options
@click.pass_context
def address_change_cmd(
    ctx: click.Context, person_id: str, address: str, actor: str, as_json: bool
) -> None:
    """A new ADDRESS entered for PERSON_ID in the CRM: bulk email allowed again per policy."""
    from bounce_sink.crm.address_change import (
        AddressChange,
        AddressChangeRejected,
        apply_address_change,
    )

    settings = settings_from(ctx)
    try:
        change = AddressChange.checked(person_id, address)
    except AddressChangeRejected as exc:
        raise click.UsageError(str(exc)) from exc

    async def job(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
        return await apply_address_change(sessionmaker, change, actor)

    try:
        done = run_with_store(settings, job)
    except AddressChangeRejected as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        print_json(done)
    else:
        click.echo(
            f"{done['address']} is now the address of person {change.person_id}: bulk email "
            f"{done['bulk_email']} (person {done['person_bulk_email']})"
        )


def register(cli: click.Group) -> None:
    """Add this room's commands to the top-level group."""
    cli.add_command(sync_group)
    cli.add_command(crm_group)
