"""Retention drops old raw bytes of finished messages only; what was learned stays."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner, Result
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.cli import cli
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import Message
from bounce_sink.store.retention import purge_raw, retention_cutoff

RAW = b"Subject: old bounce\r\n\r\nbody\r\n"


async def _message(sm: async_sessionmaker[AsyncSession], age_days: int, state: str) -> int:
    received = datetime.now(UTC) - timedelta(days=age_days)
    message_id = await store_message(
        sm, RAW, Envelope(source="import", received_at=received), store_limit=1 << 20
    )
    async with sm() as session:
        await session.execute(update(Message).where(Message.id == message_id).values(state=state))
        await session.commit()
    return message_id


async def test_only_old_finished_messages_lose_their_bytes(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    old_parsed = await _message(sessionmaker, 100, "parsed")
    old_unparsed = await _message(sessionmaker, 100, "unparsed")
    old_pending = await _message(sessionmaker, 100, "pending")
    new_parsed = await _message(sessionmaker, 5, "parsed")
    async with sessionmaker() as session:
        assert await purge_raw(session, retention_cutoff(30)) == 2
        await session.commit()
    async with sessionmaker() as session:
        raws = {
            i: (await session.get(Message, i))
            for i in (old_parsed, old_unparsed, old_pending, new_parsed)
        }
    assert all(row is not None for row in raws.values())
    kept = {i: row for i, row in raws.items() if row is not None}
    assert kept[old_parsed].raw is None
    assert kept[old_parsed].sha256 and kept[old_parsed].size == len(RAW)
    assert kept[old_unparsed].raw is None
    assert kept[old_pending].raw == RAW
    assert kept[new_parsed].raw == RAW


async def test_purge_raw_command_and_purged_message_still_shown(
    sessionmaker: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    old = await _message(sessionmaker, 40, "parsed")
    runner = CliRunner()

    async def invoke(*args: str) -> Result:  # the CLI runs its own event loop
        return await asyncio.to_thread(runner.invoke, cli, ["--database", db_url, *args], obj={})

    refused = await invoke("db", "purge-raw")
    assert refused.exit_code == 2 and "--days" in refused.output
    done = await invoke("db", "purge-raw", "--days", "30")
    assert done.exit_code == 0, done.output
    assert "purged the raw bytes of 1 message" in done.stdout
    shown = await invoke("dsn", "show", str(old))
    assert shown.exit_code == 0
    assert "Raw source: (purged)" in shown.stdout
    fresh = await _message(sessionmaker, 1, "parsed")
    listed = await invoke("dsn", "list", "--json")
    assert listed.exit_code == 0, listed.output
    purged_flags = {
        row["id"]: row["raw_purged"] for row in map(json.loads, listed.stdout.splitlines())
    }
    assert purged_flags == {old: True, fresh: False}
