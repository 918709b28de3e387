"""Starting, watching and stopping a lab MTA's processes, written once for every lab.

Every lab runs a real MTA's daemons and commands on loopback: it needs a free
port to give the daemon, to know when the daemon greets (or why it never
will), to stop only the process it started, and to run the MTA's commands so
that a failure says why, with the tail of the MTA's log.  Each lab keeps its
own error type and log; these take them as arguments.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def greets(port: int) -> bool:
    """Whether an SMTP server on 127.0.0.1:`port` answers with its 220 greeting now."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            return sock.recv(512).startswith(b"220")
    except OSError:
        return False


def why_no_greeting(
    port: int, timeout: float, processes: Sequence[subprocess.Popen[bytes]] = ()
) -> str | None:
    """Wait until 127.0.0.1:`port` greets (None), or say why not: a process that exited, or time.

    `processes` are the daemons a lab started for that port: when one of them
    exits, waiting longer would only hide its log behind a timeout.  The lab
    raises its own error with the reason and its log.
    """
    deadline = time.monotonic() + timeout
    while not greets(port):
        for process in processes:
            if process.poll() is not None:
                return f"{process.args!r} exited ({process.returncode})"
        if time.monotonic() > deadline:
            return f"no SMTP greeting on 127.0.0.1:{port} within {timeout:g} s"
        time.sleep(0.1)
    return None


def end_process(process: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """SIGTERM to a daemon a lab started (it stops its own children), SIGKILL after `timeout`.

    Only the process the lab holds is signalled, never anything found by name.
    """
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def log_tail(log_file: Path, label: str, lines: int) -> str:
    """The last `lines` lines of a lab MTA's log, headed for an error message ("" if none yet)."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    if not text:
        return ""
    return f"\n--- {label} ---\n" + "\n".join(text.splitlines()[-lines:])


def checked_output(
    command: Sequence[str],
    shown: str,
    error: type[Exception],
    *,
    stdin: bytes = b"",
    timeout: float,
    exits: Collection[int] = (0,),
    env: Mapping[str, str] | None = None,
    context: Callable[[], str] = str,
) -> str:
    """Run one of a lab MTA's commands to its end: its stdout and stderr together.

    An exit not in `exits` raises the lab's `error` with `shown` (the command
    as the lab names it), the exit code, the output and `context()` (most
    often the MTA's log tail), so a failed run says why.
    """
    done = subprocess.run(
        command, input=stdin, capture_output=True, timeout=timeout, check=False, env=env
    )
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode not in exits:
        raise error(f"{shown} exited {done.returncode}: {output}{context()}")
    return output
