"""Every command says what it is for (`--help`), as sqlite-utils checks for its CLI."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from bounce_sink.cli import cli

# The rooms' commands load lazily (parse starts fast); listing them loads them all.
cli.list_commands(click.Context(cli))


def _walk(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(_walk(command, path))
    return found


def test_every_command_has_help_text() -> None:
    undocumented = [" ".join(path) for path, cmd in _walk(cli) if not (cmd.help or "").strip()]
    assert undocumented == []


def test_core_commands_are_registered() -> None:
    names = {" ".join(path) for path, _ in _walk(cli)}
    expected = {"serve", "ingest", "import", "parse", "db upgrade", "dsn list", "dsn show", "stats"}
    assert expected <= names


def test_every_command_answers_help_with_a_usage_line() -> None:
    runner = CliRunner()
    for path, _ in _walk(cli):
        out = runner.invoke(cli, [*path, "--help"], obj={})
        assert out.exit_code == 0, (path, out.output)
        assert out.output.startswith("Usage: "), path


def test_console_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bounce_sink", "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    assert "serve" in result.stdout


def test_every_store_command_takes_database_and_config_after_its_name() -> None:
    missing = [
        " ".join(path)
        for path, cmd in _walk(cli)
        if not isinstance(cmd, click.Group)
        and path != ("parse",)
        and not {"--database", "--config"} <= {o for p in cmd.params for o in p.opts}
    ]
    assert missing == []
