"""The `bounce-sink parse` command: files in, one line (or JSON object) per file out.

It lives apart from cli.py so that `bounce_sink.entry_point` can run it
without importing the rest of the command group (asyncio, the store, the
logging set-up): scripts and the scorer start `parse` once per batch, and
start-up is most of the cost of a small batch.
"""

from __future__ import annotations

from typing import Any

import click

from bounce_sink.parse.json_lines import parse_file, write_json_lines


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
    if as_json:
        write_json_lines(files)
        return
    for name in files:
        _echo_human(parse_file(name))
