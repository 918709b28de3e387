"""The pipe transport of deploy/postfix/master.cf, run by a real Postfix.

pipe(8) will not run a command as root, and the only Python of a test machine
may be readable by root alone, so ``bounce-sink`` itself is replaced by a small
shell stand-in that records its argument vector and standard input and exits
with a chosen status. What is tested is the Postfix side of the contract: the
service line as shipped (only the program path and the user changed), one run
per recipient, a DSN's null sender kept empty, and exit 75 (EX_TEMPFAIL, what
``bounce-sink ingest`` returns when it could not store) making Postfix keep
and retry the message instead of bouncing it.
"""

from __future__ import annotations

import pwd
import re
import smtplib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "postfix"
sys.path.insert(0, str(REPO / "tools"))

from mta_lab.processes import free_port  # noqa: E402
from postfix_lab.instance import PostfixInstance  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SHIPPED_PROGRAM = "/usr/local/bin/bounce-sink"
STAND_IN = """#!/bin/sh
# Records one run of the pipe transport, then exits as told by ./exit-status.
# Runs overlap (maxproc 4), hence a fresh directory per run.
here=$(dirname "$0")
run=$(mktemp -d "$here/runs/run.XXXXXX")
for arg in "$@"; do printf '%s\\n' "$arg"; done > "$run/argv"
cat > "$run/stdin"
status=$(cat "$here/exit-status")
echo "$status" > "$run/status"
exit "$status"
"""


def shipped_service() -> str:
    """The master.cf service lines of deploy/postfix/master.cf, comments left out."""
    lines = [
        line
        for line in (DEPLOY / "master.cf").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert lines and lines[0].startswith("bouncesink "), lines
    return "\n".join(lines) + "\n"


@pytest.fixture
def piped() -> Iterator[tuple[PostfixInstance, Path]]:
    """A lab Postfix whose bounce domain goes to the shipped pipe service and a stand-in."""
    assert pwd.getpwnam("nobody")
    postfix = PostfixInstance.in_new_temp_dir(relayhost=f"[127.0.0.1]:{free_port()}")
    stand_in_dir = postfix.base_dir / "pipe"
    (stand_in_dir / "runs").mkdir(parents=True)
    program = stand_in_dir / "bounce-sink"
    program.write_text(STAND_IN)
    program.chmod(0o755)
    (stand_in_dir / "exit-status").write_text("75\n")
    for folder in (stand_in_dir, stand_in_dir / "runs"):
        folder.chmod(0o777)
    postfix.extra_master_cf = (
        shipped_service()
        .replace(SHIPPED_PROGRAM, str(program))
        .replace("user=bounce-sink", "user=nobody")
    )
    postfix.transport = {"bounces.example.org": "bouncesink:"}
    postfix.main_cf = {
        "relay_domains": "bounces.example.org",
        "bouncesink_destination_recipient_limit": "1",
    }
    postfix.start()
    yield postfix, stand_in_dir
    postfix.remove()


def wait_for_log(postfix: PostfixInstance, pattern: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not re.search(pattern, postfix.log_text()):
        if time.monotonic() > deadline:
            pytest.fail(f"no log line matching {pattern!r}{postfix.log_tail()}")
        time.sleep(0.1)


def test_pipe_transport_defers_on_ex_tempfail_and_delivers_on_success(
    piped: tuple[PostfixInstance, Path],
) -> None:
    postfix, stand_in_dir = piped
    verp = "bounces+n7q2abc@bounces.example.org"
    stored = (REPO / "fixtures" / "postfix" / "mailbox-full-552-5.2.2.eml").read_bytes()
    # As a reporting MTA sends it: the Return-Path line is the final delivery's to add.
    dsn = stored.removeprefix(b"Return-Path: <>\n")
    assert not dsn.startswith(b"Return-Path")
    with smtplib.SMTP("127.0.0.1", postfix.smtpd_port, timeout=10) as smtp:
        smtp.sendmail("", [verp, "bounces@bounces.example.org"], dsn)

    # Exit 75: deferred, kept in the queue, never bounced.
    for rcpt in (verp, "bounces@bounces.example.org"):
        wait_for_log(postfix, rf"to=<{re.escape(rcpt)}>, .*relay=bouncesink, .*status=deferred")
    assert "status=bounced" not in postfix.log_text()
    assert not postfix.queue_is_empty()

    (stand_in_dir / "exit-status").write_text("0\n")
    postfix.flush()
    postfix.wait_until_queue_empty(timeout=15)

    runs = list((stand_in_dir / "runs").iterdir())
    statuses = sorted((run / "status").read_text().strip() for run in runs)
    # One run per recipient: each was refused with 75 at least once, then taken once.
    assert statuses.count("0") == 2 and statuses.count("75") >= 2, statuses
    delivered = [run for run in runs if (run / "status").read_text().strip() == "0"]
    argvs = sorted((run / "argv").read_text().splitlines() for run in delivered)
    config = ["--config", "/etc/bounce-sink/config.toml", "ingest", "--sender="]
    assert argvs == [
        [*config, "--recipient=bounces+n7q2abc@bounces.example.org", "-"],
        [*config, "--recipient=bounces@bounces.example.org", "-"],
    ]
    for run in delivered:
        stdin = (run / "stdin").read_bytes()
        assert stdin.startswith(b"Return-Path: <>\n"), stdin[:80]
        assert b"552 5.2.2 <> Mailbox has exceeded the limit" in stdin
