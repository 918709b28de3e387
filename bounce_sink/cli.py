"""The `bounce-sink` command. Each room registers its own commands here, explicitly."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from bounce_sink.cli_context import ensure_store_options, store_options
from bounce_sink.parse.command import parse_cmd

EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and retries


class RoomsGroup(click.Group):
    """Loads the rooms' commands only when one of them is asked for.

    `parse` is run once per batch of files by scripts and by the scorer; loading
    the store, policy and CRM code (SQLAlchemy among it) just to list commands
    would triple its start-up time.
    """

    rooms_loaded = False

    def _load_rooms(self) -> None:
        if not self.rooms_loaded:
            self.rooms_loaded = True
            _register_rooms()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            self._load_rooms()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_rooms()
        return super().list_commands(ctx)


@click.group(cls=RoomsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    envvar="BOUNCE_SINK_CONFIG",
    type=click.Path(dir_okay=False),
    help="TOML configuration file (also BOUNCE_SINK_CONFIG).",
)
@click.option(
    "--database",
    "database_url",
    envvar="BOUNCE_SINK_DATABASE_URL",
    help="Store URL, e.g. sqlite+aiosqlite:///var/bounce-sink.db or postgresql+asyncpg://…",
)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, database_url: str | None) -> None:
    """bounce-sink: the bounce mailbox host behind your mailings' Return-Path."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path
    ctx.obj["database_url"] = database_url


# One command object for the group and for `bounce_sink.entry_point`'s quick start.
cli.add_command(parse_cmd)


@cli.command("serve")
@store_options
@click.pass_context
def serve_cmd(ctx: click.Context) -> None:
    """Run the sink: SMTP (and LMTP) intake, processing, CRM sync, admin web.

    With no configuration at all: SQLite under ./var/, SMTP on 127.0.0.1:2525,
    admin on http://127.0.0.1:8080/, bounce domain localhost. Stops cleanly on
    SIGINT/SIGTERM.
    """
    from bounce_sink.cli_context import settings_from
    from bounce_sink.serve import ListenError, serve
    from bounce_sink.store.errors import StoreUnavailable

    settings = settings_from(ctx)
    try:
        asyncio.run(serve(settings))
    except (StoreUnavailable, ListenError) as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("ingest")
@store_options
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--sender", default="", help="Envelope sender (Postfix pipe: ${sender}).")
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    help="Envelope recipient (Postfix pipe: ${recipient}); repeatable.",
)
@click.option("--no-process", is_flag=True, help="Only store; `serve` processes it later.")
@click.pass_context
def ingest_cmd(
    ctx: click.Context, file: str, sender: str, recipients: tuple[str, ...], no_process: bool
) -> None:
    """Store one message from FILE or stdin (-), then process it.

    Exit 75 (EX_TEMPFAIL) when it could not be stored, so a pipe transport
    keeps the message and retries; exit 0 once it is stored, even if it could
    not be parsed (it is then kept as `unparsed`).
    """
    from bounce_sink.cli_context import settings_from, with_store
    from bounce_sink.processing import Processor
    from bounce_sink.store.messages import Envelope, store_message

    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        click.echo(f"bounce-sink ingest: cannot read {file}: {exc.strerror}", err=True)
        sys.exit(EX_TEMPFAIL)
    try:
        settings = settings_from(ctx)
    except click.ClickException as exc:
        click.echo(f"bounce-sink ingest: {exc.message}", err=True)
        sys.exit(EX_TEMPFAIL)
    envelope = Envelope(
        source="ingest",
        mail_from=sender,
        rcpt_tos=recipients,
        peer="ingest:" + ("stdin" if file == "-" else Path(file).name),
    )

    async def job(sm: Any) -> tuple[int, str | None]:
        message_id = await store_message(sm, raw, envelope, store_limit=settings.store_limit)
        if no_process:
            return message_id, "pending"
        try:
            state = await Processor(settings, sm).process(message_id)
        except Exception:  # stored is what matters here; a sweep retries
            state = None
        return message_id, state

    try:
        message_id, state = asyncio.run(with_store(settings, job))
    except Exception as exc:
        from bounce_sink.store.errors import StoreUnavailable, describe_failure

        text = (
            str(exc)
            if isinstance(exc, StoreUnavailable)
            else describe_failure(settings.database_url, exc)
        )
        click.echo(
            f"bounce-sink ingest: not stored (exit {EX_TEMPFAIL}, retry later): {text}", err=True
        )
        sys.exit(EX_TEMPFAIL)
    click.echo(f"stored as message {message_id} ({state or 'pending'})")


@cli.command("import")
@store_options
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document.")
@click.pass_context
def import_cmd(ctx: click.Context, path: Path, as_json: bool) -> None:
    """Import old bounces from an mbox file or a Maildir, with a progress bar.

    Messages already stored (same bytes) are skipped, so an interrupted import
    can simply be run again.
    """
    from dataclasses import asdict

    from tqdm import tqdm

    from bounce_sink.cli_context import run_with_store, settings_from
    from bounce_sink.importer import count_messages, import_mailbox, open_mailbox

    settings = settings_from(ctx)
    if settings.log_level == "info":
        # One info line per message would shred the progress bar; it is the feedback here.
        from bounce_sink.logs import configure_logging

        configure_logging(settings.log_format, "warning")
    try:
        _, box = open_mailbox(path)
        total = count_messages(box)
        box.close()
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"cannot read {path} as mbox or Maildir: {exc}") from exc
    with tqdm(total=total, unit="msg", file=sys.stderr, desc=path.name) as bar:

        async def job(sm: Any) -> Any:
            return await import_mailbox(path, settings, sm, progress=bar.update)

        result = run_with_store(settings, job)
    if as_json:
        sys.stdout.write(json.dumps(asdict(result)) + "\n")
        return
    states = ", ".join(f"{k} {v}" for k, v in sorted(result.states.items())) or "none"
    click.echo(
        f"{result.path} ({result.format}): {result.seen} messages, {result.stored} stored, "
        f"{result.skipped_duplicates} already stored; states: {states}"
    )


@cli.group("db")
def db_group() -> None:
    """The store's schema."""


@db_group.command("upgrade")
@store_options
@click.option("--revision", default="head", show_default=True)
@click.pass_context
def db_upgrade_cmd(ctx: click.Context, revision: str) -> None:
    """Create or migrate the store to this version's schema (safe to repeat)."""
    from bounce_sink.cli_context import settings_from
    from bounce_sink.store.errors import StoreUnavailable, safe_url
    from bounce_sink.store.migrate import current_revision, upgrade

    settings = settings_from(ctx)

    async def run() -> str | None:
        await upgrade(settings.database_url, revision)
        return await current_revision(settings.database_url)

    try:
        now = asyncio.run(run())
    except StoreUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{safe_url(settings.database_url)}: at revision {now}")


@db_group.command("purge-raw")
@store_options
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Keep this many days of raw bytes (default: raw_retention_days).",
)
@click.pass_context
def db_purge_raw_cmd(ctx: click.Context, days: int | None) -> None:
    """Drop raw bytes of processed messages older than the retention period.

    Parsed results, interactions and the audit trail stay; `serve` does this
    hourly when raw_retention_days is set.
    """
    from bounce_sink.cli_context import days_to_keep, run_committed, settings_from
    from bounce_sink.store.retention import purge_raw, retention_cutoff

    settings = settings_from(ctx)
    keep = days_to_keep(days, settings.raw_retention_days, "raw_retention_days")

    purged = run_committed(settings, lambda s: purge_raw(s, retention_cutoff(keep)))
    click.echo(f"purged the raw bytes of {purged} message(s) received more than {keep} days ago")


def _register_rooms() -> None:
    # Explicit, ordered registration: each room owns its commands.
    from bounce_sink.admin import commands as admin_commands
    from bounce_sink.crm import commands as crm_commands
    from bounce_sink.policy import commands as policy_commands

    for room in (admin_commands, policy_commands, crm_commands):
        room.register(cli)
    ensure_store_options(cli, skip=frozenset({"parse"}))  # parse never opens a store


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
