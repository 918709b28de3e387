"""serve() runs intake, LMTP and sweeps on the caller's loop and stops when asked."""

from __future__ import annotations

import asyncio
import smtplib
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.serve import Listening, serve
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.models import Message

pytestmark = pytest.mark.integration

DSN = (
    Path(__file__).parents[2] / "fixtures" / "intake" / "postfix-disabled-550-5.2.1.eml"
).read_bytes()


def _send(port: int) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("", ["bounces+t1@localhost"], DSN)


async def test_serve_sweeps_old_pending_and_accepts_new_mail(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Left pending by an earlier run that died after answering 250.
    leftover = await store_message(
        sessionmaker,
        DSN,
        Envelope(source="smtp", rcpt_tos=("bounces@localhost",)),
        store_limit=1 << 20,
    )
    settings.smtp_port = 0
    settings.admin_enabled = False
    settings.lmtp_enabled = True
    settings.lmtp_port = 0
    stop = asyncio.Event()
    ready: list[Listening] = []
    task = asyncio.create_task(
        serve(settings, stop=stop, handle_signals=False, on_ready=ready.append)
    )
    try:
        for _ in range(200):
            if ready or task.done():
                break
            await asyncio.sleep(0.02)
        assert ready, "serve did not become ready"
        assert ready[0].lmtp.startswith("127.0.0.1:")
        await asyncio.to_thread(_send, ready[0].smtp[1])
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)
    async with sessionmaker() as session:
        messages = list((await session.execute(select(Message).order_by(Message.id))).scalars())
    assert messages[0].id == leftover
    assert [m.state for m in messages] == ["parsed", "parsed"]
    assert messages[1].rcpt_tos == ["bounces+t1@localhost"]


async def test_shared_intake_fixture_delivers_and_processes(
    smtp_intake: Any,  # tests/conftest.py RunningIntake
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await smtp_intake.deliver(DSN)
    async with sessionmaker() as session:
        (message,) = (await session.execute(select(Message))).scalars()
    assert message.state == "parsed"


async def test_serve_runs_the_admin_web_on_the_same_loop(settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        admin_port = probe.getsockname()[1]
    settings.smtp_port = 0
    settings.admin_port = admin_port
    stop = asyncio.Event()
    ready: list[Listening] = []
    task = asyncio.create_task(
        serve(settings, stop=stop, handle_signals=False, on_ready=ready.append)
    )
    try:
        for _ in range(200):
            if ready or task.done():
                break
            await asyncio.sleep(0.02)
        assert ready and ready[0].admin == f"http://127.0.0.1:{admin_port}/"
        async with httpx.AsyncClient(base_url=ready[0].admin, timeout=10) as client:
            for _ in range(100):  # uvicorn binds just after serve reports ready
                try:
                    response = await client.get("/dsn")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            else:
                raise AssertionError("admin web did not answer")
        assert response.status_code == 200
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)
    assert task.exception() is None


async def test_serve_starts_the_crm_sync_which_exports_a_hard_bounce(
    settings: Settings, tmp_path: Path
) -> None:
    hard = Path(__file__).parents[2] / "fixtures" / "intake" / "postfix-no-such-recipient-550.eml"
    settings.smtp_port = 0
    settings.admin_enabled = False
    settings.crm_adapter = "csv"
    settings.crm_csv_dir = str(tmp_path / "crm")
    settings.sync_interval_seconds = 0.1
    stop = asyncio.Event()
    ready: list[Listening] = []
    task = asyncio.create_task(
        serve(settings, stop=stop, handle_signals=False, on_ready=ready.append)
    )
    exported = ""
    try:
        for _ in range(200):
            if ready or task.done():
                break
            await asyncio.sleep(0.02)
        assert ready and "crm-sync" in ready[0].components
        port = ready[0].smtp[1]

        def send() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail("", ["bounces@localhost"], hard.read_bytes())

        await asyncio.to_thread(send)
        for _ in range(200):
            files = sorted((tmp_path / "crm").glob("*.csv"))
            exported = "".join(f.read_text() for f in files)
            if "do_not_allow" in exported:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=20)
    assert "nobody.here@example.com" in exported
    assert "do_not_allow" in exported
