"""Stored messages become results, and nothing stored is ever lost on the way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.processing import Processor
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import Interaction, Message

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
NO_SUCH_RECIPIENT = (FIXTURES / "postfix-no-such-recipient-550.eml").read_bytes()
ENVELOPE = Envelope(source="smtp", mail_from="<>", rcpt_tos=("bounces@localhost",))


async def _store(sm: async_sessionmaker[AsyncSession], raw: bytes) -> int:
    return await store_message(sm, raw, ENVELOPE, store_limit=2 * 1024 * 1024)


async def _message(sm: async_sessionmaker[AsyncSession], message_id: int) -> Message:
    async with sm() as session:
        message = await session.get(Message, message_id)
        assert message is not None
        return message


async def test_dsn_is_parsed_and_recorded(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    message_id = await _store(sessionmaker, NO_SUCH_RECIPIENT)
    state = await Processor(settings, sessionmaker).process(message_id)
    assert state == "parsed"
    message = await _message(sessionmaker, message_id)
    assert message.state == "parsed"
    assert message.processed_at is not None
    async with sessionmaker() as session:
        rows = list(
            (
                await session.execute(
                    select(Interaction).where(Interaction.message_id == message_id)
                )
            ).scalars()
        )
    assert [r.address for r in rows] == ["nobody.here@example.com"]
    assert rows[0].diagnostic == "550 No such recipient"


async def test_startup_sweep_picks_up_messages_left_pending(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # As after a crash between the 250 and processing: stored, never processed.
    ids = [await _store(sessionmaker, NO_SUCH_RECIPIENT) for _ in range(3)]
    processor = Processor(settings, sessionmaker)
    assert await processor.sweep() == 3
    assert [(await _message(sessionmaker, i)).state for i in ids] == ["parsed"] * 3
    assert await processor.sweep() == 0


async def test_parse_timeout_marks_unparsed_with_reason(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    message_id = await _store(sessionmaker, NO_SUCH_RECIPIENT)
    state = await Processor(settings, sessionmaker, parse_timeout=0).process(message_id)
    assert state == "unparsed"
    message = await _message(sessionmaker, message_id)
    assert message.state == "unparsed"
    assert "parsing took longer" in message.error
    assert message.raw == NO_SUCH_RECIPIENT  # kept, visible, can be reprocessed


async def test_policy_failure_keeps_message_unparsed_with_error(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    message_id = await _store(sessionmaker, NO_SUCH_RECIPIENT)
    path = Path(db_url.removeprefix("sqlite+aiosqlite:///"))
    with sqlite3.connect(path) as conn:  # the policy's table is gone: a real failure
        conn.execute("ALTER TABLE interactions RENAME TO interactions_away")
    state = await Processor(settings, sessionmaker).process(message_id)
    assert state == "unparsed"
    message = await _message(sessionmaker, message_id)
    assert "interactions" in message.error
    assert message.raw == NO_SUCH_RECIPIENT


async def test_submitted_messages_are_processed_in_background(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    processor = Processor(settings, sessionmaker)
    ids = [await _store(sessionmaker, NO_SUCH_RECIPIENT) for _ in range(2)]
    ids.append(await _store(sessionmaker, b"Subject: hello\r\n\r\njust a note to postmaster\r\n"))
    for message_id in ids:
        processor.submit(message_id)
    await processor.drain()
    states = [(await _message(sessionmaker, i)).state for i in ids]
    assert states[:2] == ["parsed", "parsed"]
    assert states[2] == "other"
