"""A real SMTP client (smtplib, in a thread) against the intake server on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.smtp import bound_port, start_smtp_server
from bounce_sink.store.models import Message

pytestmark = pytest.mark.integration

DSN = (
    b"From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
    b"To: bounces@localhost\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <dsn-1@mx.example.org>\r\n"
    b"\r\n"
    b"This is the mail system at host mx.example.org.\r\n"
)


@pytest.fixture
async def smtp_port(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[int]:
    settings.bounce_domains = ["localhost", "bounces.example.org"]
    settings.max_message_size = 64 * 1024
    settings.store_limit = 16 * 1024
    server = await start_smtp_server(settings, sessionmaker, host="127.0.0.1", port=0)
    try:
        yield bound_port(server)
    finally:
        server.close()
        await server.wait_closed()


def _send(port: int, rcpts: list[str], body: bytes = DSN, sender: str = "") -> dict[str, object]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("mx.example.org")
        refused = client.sendmail(sender, rcpts, body)
        return dict(refused)


async def _messages(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Message]:
    async with sessionmaker() as session:
        return list((await session.execute(select(Message).order_by(Message.id))).scalars())


@pytest.mark.parametrize(
    "rcpt",
    [
        "bounces@localhost",
        "bounces+a1b2c3@localhost",
        "Bounces@BOUNCES.example.ORG",
        "postmaster@bounces.example.org",
    ],
)
async def test_accepts_our_bounce_addresses_and_stores_envelope(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession], rcpt: str
) -> None:
    refused = await asyncio.to_thread(_send, smtp_port, [rcpt])
    assert refused == {}
    (msg,) = await _messages(sessionmaker)
    assert msg.raw == DSN
    assert msg.size == len(DSN)
    assert msg.rcpt_tos == [rcpt]
    assert msg.mail_from == "<>"
    assert msg.helo == "mx.example.org"
    assert msg.peer.startswith("127.0.0.1:")
    assert msg.source == "smtp"
    assert msg.state == "pending"
    assert len(msg.sha256) == 64


@pytest.mark.parametrize(
    "rcpt",
    [
        "someone@example.com",
        "bounces@example.com",
        "other@localhost",
        "bouncesx@localhost",
        "bounces+@localhost",
        "bounces@localhost.example.com",
        "postmaster@example.com",
    ],
)
async def test_refuses_relay_with_550_5_7_1(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession], rcpt: str
) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as info:
        await asyncio.to_thread(_send, smtp_port, [rcpt])
    code, text = info.value.recipients[rcpt]
    assert code == 550
    assert text.startswith(b"5.7.1")
    assert await _messages(sessionmaker) == []


async def test_mixed_recipients_store_only_ours(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    refused = await asyncio.to_thread(_send, smtp_port, ["bounces@localhost", "victim@example.com"])
    assert set(refused) == {"victim@example.com"}
    (msg,) = await _messages(sessionmaker)
    assert msg.rcpt_tos == ["bounces@localhost"]


def _raw_session(port: int) -> list[tuple[int, bytes]]:
    """Speak SMTP by hand so the size reply can be seen whatever smtplib would do first."""
    replies: list[tuple[int, bytes]] = []
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        code, ext = client.ehlo("mx.example.org")
        replies.append((code, ext))
        replies.append(client.docmd("MAIL FROM:<> SIZE=999999999"))
    return replies


async def test_size_extension_announced_and_552_5_3_4_above_cap(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    (_, ehlo), (code, text) = await asyncio.to_thread(_raw_session, smtp_port)
    assert b"SIZE 65536" in ehlo
    assert code == 552
    assert text.startswith(b"5.3.4")
    # Without a SIZE declaration the cap applies to the data itself.
    big = DSN + (b"x" * 76 + b"\r\n") * 1000
    with pytest.raises(smtplib.SMTPDataError) as info:
        await asyncio.to_thread(_send_without_size, smtp_port, big)
    assert info.value.smtp_code == 552
    error = info.value.smtp_error
    assert isinstance(error, bytes) and error.startswith(b"5.3.4")
    assert await _messages(sessionmaker) == []


async def test_lines_longer_than_rfc_limit_are_accepted(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    body = DSN + b"z" * 5000 + b"\r\n"
    assert await asyncio.to_thread(_send, smtp_port, ["bounces@localhost"], body) == {}
    (msg,) = await _messages(sessionmaker)
    assert msg.raw == body


def _send_without_size(port: int, body: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.helo("mx.example.org")  # plain HELO: smtplib adds no SIZE=
        client.sendmail("", ["bounces@localhost"], body)


async def test_over_store_limit_kept_truncated_with_full_hash(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    body = DSN + (b"y" * 76 + b"\r\n") * 300  # ~23 KiB: under the cap, over the store limit
    await asyncio.to_thread(_send, smtp_port, ["bounces@localhost"], body)
    (msg,) = await _messages(sessionmaker)
    assert msg.raw_truncated is True
    assert msg.raw is not None and len(msg.raw) == 16 * 1024
    assert body.startswith(msg.raw)
    assert msg.size == len(body)
    assert msg.sha256 == hashlib.sha256(body).hexdigest()


async def test_store_failure_answers_451_and_retry_is_stored_once(
    smtp_port: int, sessionmaker: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    path = Path(db_url.removeprefix("sqlite+aiosqlite:///"))
    # Break the store for real: the table the intake writes to goes away.
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE messages RENAME TO messages_away")
    with pytest.raises(smtplib.SMTPDataError) as info:
        await asyncio.to_thread(_send, smtp_port, ["bounces@localhost"])
    assert info.value.smtp_code == 451
    error = info.value.smtp_error
    assert isinstance(error, bytes) and error.startswith(b"4.3.0")
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE messages_away RENAME TO messages")
        assert conn.execute("SELECT count(*) FROM messages").fetchone() == (0,)
    # The reporting MTA retries the same message: now it is stored, exactly once.
    assert await asyncio.to_thread(_send, smtp_port, ["bounces@localhost"]) == {}
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(Message))
    assert count == 1


def _send_utf8(port: int, rcpt: str, body: bytes) -> dict[str, object]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("mx.example.org")
        assert client.has_extn("smtputf8")
        return dict(client.sendmail("", [rcpt], body, mail_options=["SMTPUTF8"]))


@pytest.mark.parametrize("rcpt", ["bounces@bücher.example", "bounces+t@xn--bcher-kva.example"])
async def test_internationalised_bounce_domain_in_either_form_over_smtputf8(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], rcpt: str
) -> None:
    settings.bounce_domains = ["Bücher.example"]
    body = "Subject: Unzustellbar\r\n\r\nDie Nachricht an jürgen@bücher.example kam zurück.\r\n"
    server = await start_smtp_server(settings, sessionmaker, host="127.0.0.1", port=0)
    try:
        refused = await asyncio.to_thread(
            _send_utf8, bound_port(server), rcpt, body.encode("utf-8")
        )
    finally:
        server.close()
        await server.wait_closed()
    assert refused == {}
    (msg,) = await _messages(sessionmaker)
    assert msg.raw == body.encode("utf-8")  # 8-bit bytes kept exactly
    assert msg.rcpt_tos == [rcpt]
