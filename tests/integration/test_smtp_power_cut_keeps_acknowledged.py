"""Every message answered 250 is still there after the power goes, not only after a process kill.

test_smtp_kill9_keeps_acknowledged.py kills the sink, but the kernel lives on
and writes its page cache out later, so a sink that answered 250 before its
data reached the disk would pass it. Here the sink runs in a QEMU guest with
its store on an ext4 disk (tools/power_cut_vm); QEMU is killed in the middle
of a burst, which loses the guest kernel's memory as a power cut would. The
image is then recovered as the next boot would (journal replayed) and the
store is read on the host. It needs qemu-system-x86, busybox-static,
e2fsprogs and ``apt-get download`` of Debian's kernel (cached); it runs under
QEMU's emulator (TCG), about a minute, and fails when it cannot run.
"""

from __future__ import annotations

import smtplib
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from smtp_burst import send_until_stopped, sequence_numbers

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from mta_lab.processes import free_port  # noqa: E402
from power_cut_vm.disk import copy_out, recover  # noqa: E402
from power_cut_vm.initramfs import DATA_DIR, EXITED  # noqa: E402
from power_cut_vm.kernel import unpacked_kernel  # noqa: E402
from power_cut_vm.machine import PowerCutMachine  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GUEST_PORT = 2525
STORE = "/var/bounce-sink.db"  # the sink's default, relative to its working directory: the disk


def _wait_for_greeting(port: int, machine: PowerCutMachine, timeout: float) -> None:
    """QEMU accepts on the forwarded port at once; the sink is up when it says 220."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5):
                return
        except (OSError, smtplib.SMTPException):
            assert machine.running(), machine.console_text()[-3000:]
            assert time.monotonic() < deadline, machine.console_text()[-3000:]
            time.sleep(0.5)


def _stored_sequence_numbers(disk: Path, out: Path) -> tuple[set[int], str]:
    recover(disk)
    assert copy_out(disk, STORE, out / "bounce-sink.db"), "the store is not on the disk"
    copy_out(disk, STORE + "-wal", out / "bounce-sink.db-wal")  # committed, not yet checkpointed
    with sqlite3.connect(out / "bounce-sink.db") as conn:
        (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
        raws = [row[0] for row in conn.execute("SELECT raw FROM messages")]
    return sequence_numbers(raws), str(integrity)


def test_acknowledged_messages_survive_a_power_cut_mid_burst(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": DATA_DIR,
        "TMPDIR": "/run",  # a tmpfs; the host's files are read-only in the guest
        "PYTHONDONTWRITEBYTECODE": "1",
        "BOUNCE_SINK_SMTP_HOST": "0.0.0.0",  # QEMU forwards to the guest's own address
        "BOUNCE_SINK_SMTP_PORT": str(GUEST_PORT),
        "BOUNCE_SINK_ADMIN_ENABLED": "false",
    }
    command = [sys.executable, "-m", "bounce_sink", "serve"]
    machine = PowerCutMachine(tmp_path, unpacked_kernel(), command, env, port, GUEST_PORT)
    acked: list[int] = []
    stop = threading.Event()
    senders = [
        threading.Thread(target=send_until_stopped, args=(port, w, acked, stop, 20))
        for w in (1, 2, 3)
    ]
    try:
        machine.start()
        _wait_for_greeting(port, machine, timeout=240)
        for thread in senders:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acked) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert EXITED not in machine.console_text(), "the sink stopped before the power cut"
        machine.cut_power()  # just after a 250, with other transactions in flight
    finally:
        stop.set()
        machine.cut_power()
        for thread in senders:
            if thread.ident is not None:  # started
                thread.join(timeout=30)
    assert len(acked) >= 40, f"the burst did not get going: {machine.console_text()[-3000:]}"

    stored, integrity = _stored_sequence_numbers(machine.disk, tmp_path)

    assert integrity == "ok"
    assert set(acked) <= stored, f"acknowledged but lost: {sorted(set(acked) - stored)}"
