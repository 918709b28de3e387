"""Choosing the adapter from settings, and the CLI documented command by command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from bounce_sink.cli import cli
from bounce_sink.config import ConfigError, Settings
from bounce_sink.crm.adapters import ADAPTERS, make_adapter

DOC = (Path(__file__).resolve().parents[3] / "docs" / "crm-sync.md").read_text()


async def test_each_adapter_is_built_from_its_settings(tmp_path: Path) -> None:
    settings = Settings(
        crm_webhook_url="http://127.0.0.1:9/hook",
        crm_webhook_secret="s",
        crm_dataverse_url="https://org.example.com/api/data/v9.2",
        crm_dataverse_token_url="https://login.example.com/t/oauth2/v2.0/token",
        crm_dataverse_client_id="id",
        crm_dataverse_client_secret="secret",
        crm_csv_dir=str(tmp_path),
    )
    for name in ADAPTERS:
        settings.crm_adapter = name
        adapter = make_adapter(settings)
        assert adapter.name == name
        await adapter.aclose()


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("none", "choose one of csv, dataverse, webhook"),
        ("salesforce", "choose one of"),
        ("webhook", "crm_webhook_url"),
        ("dataverse", "crm_dataverse_url, crm_dataverse_token_url"),
    ],
)
def test_a_bad_choice_names_the_key_to_fix(name: str, missing: str) -> None:
    with pytest.raises(ConfigError, match=missing):
        make_adapter(Settings(crm_adapter=name))


def test_every_crm_command_is_documented() -> None:
    for group_name in ("sync", "crm"):
        # get_command, not cli.commands: the rooms' commands load lazily, on first use.
        group = cli.get_command(click.Context(cli), group_name)
        assert isinstance(group, click.Group)
        assert f"bounce-sink {group_name}" in DOC
        for sub in group.commands:
            assert f"bounce-sink {group_name} {sub}" in DOC, (
                f"{group_name} {sub} missing from docs/crm-sync.md"
            )
