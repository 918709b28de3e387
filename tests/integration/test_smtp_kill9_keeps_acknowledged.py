"""Every message answered 250 survives `kill -9` of the sink in the middle of a burst."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from smtp_burst import send_until_stopped, sequence_numbers

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, "serve exited early"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("serve did not listen")


def _start(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "BOUNCE_SINK_SMTP_PORT": str(port),
        "BOUNCE_SINK_ADMIN_ENABLED": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bounce_sink", "serve"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _wait_for_port(port, proc)
    return proc


def test_acknowledged_messages_survive_kill_9_and_are_processed_after_restart(
    tmp_path: Path,
) -> None:
    port = _free_port()
    proc = _start(tmp_path, port)
    acked: list[int] = []
    stop = threading.Event()
    senders = [
        threading.Thread(target=send_until_stopped, args=(port, w, acked, stop))
        for w in range(1, 5)
    ]
    for thread in senders:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acked) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)  # mid-burst: no shutdown code runs
    proc.wait(timeout=10)
    stop.set()
    for thread in senders:
        thread.join(timeout=15)
    assert len(acked) >= 60, "the burst did not get going"

    with sqlite3.connect(tmp_path / "var" / "bounce-sink.db") as conn:
        raws = [row[0] for row in conn.execute("SELECT raw FROM messages")]
    assert set(acked) <= sequence_numbers(raws)  # nothing acknowledged is lost

    # After a restart the startup sweep finishes whatever was left pending.
    proc = _start(tmp_path, port)
    try:
        deadline = time.monotonic() + 30
        pending = -1
        while time.monotonic() < deadline:
            with sqlite3.connect(tmp_path / "var" / "bounce-sink.db") as conn:
                (pending,) = conn.execute(
                    "SELECT count(*) FROM messages WHERE state = 'pending'"
                ).fetchone()
            if pending == 0:
                break
            time.sleep(0.2)
        assert pending == 0
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl-C stops it as cleanly as SIGTERM
        _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr.decode()
    assert b'"stopped"' in stderr
