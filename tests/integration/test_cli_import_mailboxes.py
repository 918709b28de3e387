"""`bounce-sink import` reads an mbox or a Maildir, stores and processes each message once."""

from __future__ import annotations

import hashlib
import json
import mailbox
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_policy_support import USER_UNKNOWN, build_dsn

from bounce_sink.policy import verp

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
FILES = sorted(FIXTURES.glob("postfix-*.eml"))


def _import(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bounce_sink", "import", str(path), "--json"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def test_import_mbox_twice_stores_once(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "old-bounces.mbox")
    for path in FILES:
        box.add(mailbox.mboxMessage(path.read_bytes()))
    box.close()

    first = _import(tmp_path / "old-bounces.mbox", tmp_path)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["format"] == "mbox"
    assert (summary["seen"], summary["stored"], summary["skipped_duplicates"]) == (4, 4, 0)
    assert summary["states"] == {"parsed": 4}
    assert "4/4" in first.stderr  # the progress bar is on stderr
    assert "message_processed" not in first.stderr  # no log line per message through it

    again = _import(tmp_path / "old-bounces.mbox", tmp_path)
    summary = json.loads(again.stdout)
    assert (summary["seen"], summary["stored"], summary["skipped_duplicates"]) == (4, 0, 4)


def test_import_maildir(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for path in FILES[:2]:
        box.add(path.read_bytes())
    box.close()
    result = _import(tmp_path / "Maildir", tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["format"] == "maildir"
    assert summary["stored"] == 2
    listed = subprocess.run(
        [sys.executable, "-m", "bounce_sink", "dsn", "list", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {r["source"] for r in rows} == {"import"}
    assert len(rows) == 2
    # The digest the importer checks duplicates with is the one stored with the row.
    assert {r["sha256"] for r in rows} == {
        hashlib.sha256(path.read_bytes()).hexdigest() for path in FILES[:2]
    }


def test_import_of_a_plain_directory_says_why(tmp_path: Path) -> None:
    (tmp_path / "notmail").mkdir()
    result = _import(tmp_path / "notmail", tmp_path)
    assert result.returncode == 1
    assert "not a Maildir" in result.stderr


BOUNCE_DOMAIN = "bounces.example.org"  # the tag is read from To: (no envelope in a mailbox)


def _run(cwd: Path, *args: str, key: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bounce_sink", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(cwd),
            "BOUNCE_SINK_VERP_KEY": key,
            "BOUNCE_SINK_BOUNCE_DOMAINS": BOUNCE_DOMAIN,
        },
    )


def test_imported_bounces_are_judged_on_the_day_the_mailbox_got_them(tmp_path: Path) -> None:
    """A signed return path valid when the bounce came back (the mbox "From " line
    says when) is trusted on import months later; received_at is that day too."""
    key = "import-test-signing-key"
    now = datetime.now(UTC)
    issued = (now - timedelta(days=90)).date()  # valid for 60 days: expired 30 days ago
    box = mailbox.mbox(tmp_path / "old-bounces.mbox")
    came_back = {
        "early@example.com": now - timedelta(days=45),  # within the tag's 60 days
        "late@example.com": now - timedelta(days=10),  # after it expired
    }
    for rcpt, when in came_back.items():
        address = verp.encode(rcpt, "spring-sale", key, domain=BOUNCE_DOMAIN, days=60, today=issued)
        message = mailbox.mboxMessage(
            build_dsn(rcpt, day=when, failure=USER_UNKNOWN, return_path=address)
        )
        message.set_from("MAILER-DAEMON", when.utctimetuple())
        box.add(message)
    box.close()
    for rcpt in came_back:
        added = _run(tmp_path, "contacts", "add-address", f"crm-{rcpt[0]}", rcpt, key=key)
        assert added.returncode == 0, added.stderr

    imported = _run(tmp_path, "import", str(tmp_path / "old-bounces.mbox"), "--json", key=key)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["states"] == {"parsed": 1, "quarantined": 1}
    rows = [
        json.loads(line)
        for line in _run(tmp_path, "dsn", "list", "--json", key=key).stdout.splitlines()
    ]
    by_rcpt = {r["recipients"][0]["address"]: r for r in rows}
    assert by_rcpt["early@example.com"]["state"] == "parsed"
    assert by_rcpt["late@example.com"]["state"] == "quarantined"
    for rcpt, when in came_back.items():
        received = datetime.fromisoformat(by_rcpt[rcpt]["received_at"])
        assert abs((received - when).total_seconds()) < 1
    early = json.loads(
        _run(tmp_path, "contacts", "show", "early@example.com", "--json", key=key).stdout
    )
    late = json.loads(
        _run(tmp_path, "contacts", "show", "late@example.com", "--json", key=key).stdout
    )
    assert (early["bulk_email"], late["bulk_email"]) == ("do_not_allow", "allow")


def test_imported_maildir_message_received_when_its_file_name_says(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.close()
    delivered = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
    name = f"{int(delivered.timestamp())}.M1P2.mx"
    (tmp_path / "Maildir" / "cur" / f"{name}:2,S").write_bytes(FILES[0].read_bytes())
    assert _run(tmp_path, "import", str(tmp_path / "Maildir"), key="").returncode == 0
    (row,) = [
        json.loads(line)
        for line in _run(tmp_path, "dsn", "list", "--json", key="").stdout.splitlines()
    ]
    assert datetime.fromisoformat(row["received_at"]) == delivered
