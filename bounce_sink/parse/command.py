"""The `bounce-sink parse` command: files in, one line (or JSON object) per file out.

It lives apart from cli.py so that `bounce_sink.entry_point` can run it
without importing the rest of the command group (asyncio, the store, the
logging set-up): scripts and the scorer start `parse` once per batch, and
start-up is most of the cost of a small batch.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def _unreadable(name: str, exc: OSError) -> dict[str, Any]:
    return {
        "file": name,
        "bounce": False,
        "kind": "unknown",
        "recipients": [],
        "error": f"cannot read file: {exc.strerror}",
    }


def _internal_error(name: str, exc: Exception) -> dict[str, Any]:
    return {
        "file": name,
        "bounce": False,
        "kind": "unknown",
        "recipients": [],
        "error": f"internal error: {type(exc).__name__}: {exc}",
    }


def parse_file(name: str) -> dict[str, Any]:
    """The contract's JSON object for one file; every file gets one, whatever happens."""
    from bounce_sink.parse import parse_message
    from bounce_sink.parse.cli_output import report_to_json

    try:
        with open(name, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return _unreadable(name, exc)
    try:
        return report_to_json(name, parse_message(raw))
    except Exception as exc:  # the contract: every file gets a line
        return _internal_error(name, exc)


def _echo_human(obj: dict[str, Any]) -> None:
    rcpts = obj.get("recipients") or []
    click.echo(
        f"{obj['file']}: {obj.get('kind')} {len(rcpts)} recipient(s)"
        + (f" error: {obj['error']}" if obj.get("error") else "")
    )
    for r in rcpts:
        click.echo(
            f"  {r['address']}: {r['action']} {r['status']} {r['reason']} "
            f"{r['severity']} {r['code'] or '-'} [{r['rule']}]"
        )
        if r.get("diagnostic"):
            click.echo(f"    {r['diagnostic']}")


@click.command("parse", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def parse_cmd(as_json: bool, files: tuple[str, ...]) -> None:
    """Parse and classify bounce files without touching a database."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    write = sys.stdout.write
    for name in files:
        obj = parse_file(name)
        if as_json:
            write(dumps(obj) + "\n")
        else:
            _echo_human(obj)
