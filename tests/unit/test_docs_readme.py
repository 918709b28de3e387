"""The README is the user's first contact: its commands and examples must be true."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from bounce_sink.cli import cli
from bounce_sink.config import load_settings

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    names: list[str] = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None
        path = (*prefix, name)
        names.append(" ".join(path))
        if isinstance(command, click.Group):
            names.extend(_leaf_commands(command, path))
    return names


@pytest.mark.parametrize("command", _leaf_commands(cli))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`{command}" in README, f"README.md does not document `bounce-sink {command}`"


def test_the_first_two_commands_set_up_and_serve_and_test() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    lines = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert lines[:2] == ["make serve", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^serve: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci


def test_the_example_configuration_loads() -> None:
    settings = load_settings(REPO / "deploy" / "bounce-sink.toml", env={})
    assert settings.bounce_domains == ["bounces.example.org"]
    assert settings.crm_adapter == "webhook"


def test_the_readme_configuration_snippet_loads(tmp_path: Path) -> None:
    snippet = re.search(r"```toml\n(.*?)```", README, re.S)
    assert snippet is not None
    path = tmp_path / "snippet.toml"
    path.write_text(snippet.group(1))
    settings = load_settings(path, env={})
    assert settings.lmtp_enabled is True
