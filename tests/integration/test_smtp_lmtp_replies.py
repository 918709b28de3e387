"""LMTP answers DATA once per accepted recipient (RFC 2033), over TCP and a Unix socket."""

from __future__ import annotations

import asyncio
import os
import smtplib
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.smtp import bound_port, start_lmtp_server
from bounce_sink.store.models import Message

pytestmark = pytest.mark.integration

BODY = b"From: MAILER-DAEMON@mx.example.org\r\nSubject: Delivery failure\r\n\r\nreturned\r\n"


def _lmtp_exchange(
    target: str, port: int, rcpts: list[str]
) -> tuple[list[int], list[tuple[int, bytes]]]:
    client = smtplib.LMTP(target, port) if port else smtplib.LMTP(target)
    try:
        client.ehlo("mx.example.org")
        assert client.mail("")[0] == 250
        rcpt_codes = [client.rcpt(r)[0] for r in rcpts]
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(BODY + b".\r\n")
        accepted = sum(1 for c in rcpt_codes if c == 250)
        data_replies = [client.getreply() for _ in range(accepted)]
        client.quit()
    finally:
        client.close()
    return rcpt_codes, data_replies


async def _stored(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Message]:
    async with sessionmaker() as session:
        return list((await session.execute(select(Message))).scalars())


async def test_lmtp_one_reply_per_accepted_recipient(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    server = await start_lmtp_server(settings, sessionmaker, host="127.0.0.1", port=0)
    try:
        rcpt_codes, data_replies = await asyncio.to_thread(
            _lmtp_exchange,
            "127.0.0.1",
            bound_port(server),
            ["bounces@localhost", "stranger@example.com", "bounces+x7@localhost"],
        )
    finally:
        server.close()
        await server.wait_closed()
    assert rcpt_codes == [250, 550, 250]
    assert [code for code, _ in data_replies] == [250, 250]
    assert all(text.startswith(b"2.0.0") for _, text in data_replies)
    (msg,) = await _stored(sessionmaker)
    assert msg.source == "lmtp"
    assert msg.rcpt_tos == ["bounces@localhost", "bounces+x7@localhost"]
    assert msg.raw == BODY


async def test_lmtp_on_unix_socket(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    settings.lmtp_socket = str(tmp_path / "run" / "lmtp.sock")
    server = await start_lmtp_server(settings, sessionmaker)
    mode = os.stat(settings.lmtp_socket).st_mode & 0o777
    try:
        _, data_replies = await asyncio.to_thread(
            _lmtp_exchange, settings.lmtp_socket, 0, ["postmaster@localhost"]
        )
    finally:
        server.close()
        await server.wait_closed()
    assert mode == 0o666  # Postfix's lmtp client runs as another user
    assert [code for code, _ in data_replies] == [250]
    (msg,) = await _stored(sessionmaker)
    assert msg.rcpt_tos == ["postmaster@localhost"]


def _lmtp_oversized(port: int, rcpts: list[str], body: bytes) -> list[tuple[int, bytes]]:
    client = smtplib.LMTP("127.0.0.1", port)
    try:
        client.ehlo("mx.example.org")
        client.mail("")
        for rcpt in rcpts:
            client.rcpt(rcpt)
        client.putcmd("data")
        client.getreply()
        client.send(body + b".\r\n")
        return [client.getreply() for _ in rcpts]
    finally:
        client.close()


async def test_lmtp_size_cap_answers_552_5_3_4_per_recipient(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    settings.max_message_size = 4096
    server = await start_lmtp_server(settings, sessionmaker, host="127.0.0.1", port=0)
    try:
        replies = await asyncio.to_thread(
            _lmtp_oversized,
            bound_port(server),
            ["bounces@localhost", "postmaster@localhost"],
            BODY + (b"x" * 70 + b"\r\n") * 100,
        )
    finally:
        server.close()
        await server.wait_closed()
    assert [code for code, _ in replies] == [552, 552]
    assert all(text.startswith(b"5.3.4") for _, text in replies)
    assert await _stored(sessionmaker) == []
