"""`bounce-sink import` reads an mbox or a Maildir, stores and processes each message once."""

from __future__ import annotations

import hashlib
import json
import mailbox
import subprocess
import sys
from pathlib import Path

import pytest

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
