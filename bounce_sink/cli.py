"""The `bounce-sink` command. Each room registers its own commands here, explicitly."""

from __future__ import annotations

import json
import sys

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="BOUNCE_SINK_CONFIG", type=click.Path(dir_okay=False),
              help="TOML configuration file (also BOUNCE_SINK_CONFIG).")
@click.option("--database", "database_url", envvar="BOUNCE_SINK_DATABASE_URL",
              help="Store URL, e.g. sqlite+aiosqlite:///var/bounce-sink.db or postgresql+asyncpg://…")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, database_url: str | None) -> None:
    """bounce-sink: the bounce mailbox host behind your mailings' Return-Path."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path
    ctx.obj["database_url"] = database_url


@cli.command("parse")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def parse_cmd(as_json: bool, files: tuple[str, ...]) -> None:
    """Parse and classify bounce files without touching a database."""
    from bounce_sink.parse import parse_message
    from bounce_sink.parse.cli_output import report_to_json

    for name in files:
        try:
            with open(name, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            obj = {"file": name, "bounce": False, "kind": "unknown", "recipients": [],
                   "error": f"cannot read file: {exc.strerror}"}
        else:
            try:
                obj = report_to_json(name, parse_message(raw))
            except Exception as exc:  # the contract: every file gets a line
                obj = {"file": name, "bounce": False, "kind": "unknown", "recipients": [],
                       "error": f"internal error: {type(exc).__name__}: {exc}"}
        if as_json:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            rcpts = obj.get("recipients") or []
            click.echo(f"{name}: {obj.get('kind')} {len(rcpts)} recipient(s)"
                       + (f" error: {obj['error']}" if obj.get("error") else ""))
            for r in rcpts:
                click.echo(f"  {r['address']}: {r['action']} {r['status']} {r['reason']} "
                           f"{r['severity']} {r['code'] or '-'} [{r['rule']}]")
                if r.get("diagnostic"):
                    click.echo(f"    {r['diagnostic']}")


def _register_rooms() -> None:
    # Explicit, ordered registration: each room owns its commands.
    from bounce_sink.admin import commands as admin_commands
    from bounce_sink.crm import commands as crm_commands
    from bounce_sink.policy import commands as policy_commands

    for room in (admin_commands, policy_commands, crm_commands):
        room.register(cli)


_register_rooms()


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
