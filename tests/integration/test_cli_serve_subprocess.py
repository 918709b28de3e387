"""`bounce-sink serve` with no configuration at all, as a new user first runs it."""

from __future__ import annotations

import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DSN = Path(__file__).parents[2] / "fixtures" / "intake" / "postfix-mailbox-full-552-5.2.2.eml"
DISABLED = DSN.with_name("postfix-disabled-550-5.2.1.eml")
DEFAULT_SMTP = ("127.0.0.1", 2525)
# The console script a user runs, installed next to this interpreter.
BOUNCE_SINK = str(Path(sys.executable).with_name("bounce-sink"))


def _wait_for_port(address: tuple[str, int], proc: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"serve exited early: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            with socket.create_connection(address, timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"serve did not listen on {address} within {seconds} s")


def _wait_for_state(cwd: Path, env: dict[str, str], seconds: float) -> list[dict[str, object]]:
    deadline = time.monotonic() + seconds
    rows: list[dict[str, object]] = []
    while time.monotonic() < deadline:
        listed = subprocess.run(
            [BOUNCE_SINK, "dsn", "list", "--json"],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        rows = [json.loads(line) for line in listed.stdout.splitlines()]
        if rows and all(r["state"] != "pending" for r in rows):
            return rows
        time.sleep(0.2)
    return rows


def test_serve_with_no_config_accepts_a_dsn_and_stops_on_sigterm(tmp_path: Path) -> None:
    # A clean environment: no BOUNCE_SINK_* variables, no config file.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    with socket.socket() as probe:  # else we would talk to whatever holds the port
        assert probe.connect_ex(DEFAULT_SMTP) != 0, f"{DEFAULT_SMTP} is taken by another process"
    # Stored but never processed, as if the sink died right after its 250.
    left = subprocess.run(
        [BOUNCE_SINK, "ingest", "--no-process", str(DISABLED)],
        cwd=tmp_path, env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert left.returncode == 0, left.stderr.decode()
    assert b"(pending)" in left.stdout
    proc = subprocess.Popen(
        [BOUNCE_SINK, "serve"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_for_port(DEFAULT_SMTP, proc, 20)
        with smtplib.SMTP(*DEFAULT_SMTP, timeout=10) as client:
            assert client.sendmail("", ["bounces@localhost"], DSN.read_bytes()) == {}
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail("", ["someone@example.com"], DSN.read_bytes())
        rows = _wait_for_state(tmp_path, env, 20)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, stderr = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
    assert proc.returncode == 0, stderr.decode()
    assert (tmp_path / "var" / "bounce-sink.db").is_file()
    assert len(rows) == 2
    row, swept = rows  # newest first
    assert swept["state"] == "parsed"  # the startup sweep picked it up
    assert swept["source"] == "ingest"
    assert row["state"] == "parsed"
    assert row["rcpt_tos"] == ["bounces@localhost"]
    recipients = row["recipients"]
    assert isinstance(recipients, list)
    assert recipients[0]["reason"] == "mailbox_full"
    assert recipients[0]["code"] == "bounce_fm"
    events = [
        json.loads(line)["event"] for line in stderr.decode().splitlines() if line.startswith("{")
    ]
    assert "serving" in events
    assert "message_stored" in events
    assert events[-1] == "stopped"  # clean shutdown, not killed


def test_serve_says_which_setting_to_change_when_the_port_is_taken(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bounce_sink.cli import cli

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(
            cli,
            ["--database", f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", "serve"],
            obj={},
            env={"BOUNCE_SINK_SMTP_PORT": str(port), "BOUNCE_SINK_ADMIN_ENABLED": "false"},
        )
    assert result.exit_code == 1
    assert f"cannot listen for SMTP on 127.0.0.1:{port}" in result.stderr
    assert "smtp_port" in result.stderr
