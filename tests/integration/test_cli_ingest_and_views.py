"""`bounce-sink ingest`, `dsn list/show`, `stats` and `db upgrade`, run as a user runs them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
NO_SUCH = FIXTURES / "postfix-no-such-recipient-550.eml"
FULL = FIXTURES / "postfix-mailbox-full-552-5.2.2.eml"


def run(
    *args: str, cwd: Path, stdin: bytes | None = None, db: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    base = [sys.executable, "-m", "bounce_sink"]
    if db is not None:
        base += ["--database", db]
    return subprocess.run(
        [*base, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def json_lines(out: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def test_ingest_file_and_stdin_then_list_show_stats(tmp_path: Path) -> None:
    first = run(
        "ingest", str(NO_SUCH), "--sender", "", "--recipient", "bounces@localhost", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr.decode()
    assert b"stored as message 1" in first.stdout
    second = run("ingest", "-", cwd=tmp_path, stdin=FULL.read_bytes())
    assert second.returncode == 0, second.stderr.decode()
    # No --database: the embedded default, under ./var/ of the working directory.
    assert (tmp_path / "var" / "bounce-sink.db").is_file()

    listed = run("dsn", "list", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr.decode()
    rows = json_lines(listed.stdout)
    assert [r["id"] for r in rows] == [2, 1]  # newest first
    assert rows[1]["rcpt_tos"] == ["bounces@localhost"]
    assert rows[1]["source"] == "ingest"
    assert all(r["state"] == "parsed" for r in rows)
    recipients = rows[0]["recipients"]
    assert isinstance(recipients, list)
    assert recipients[0]["address"] == "full.person@example.com"
    assert recipients[0]["diagnostic"] == "552 5.2.2 <> Mailbox has exceeded the limit"

    only_one = json_lines(run("dsn", "list", "--json", "--limit", "1", cwd=tmp_path).stdout)
    assert [r["id"] for r in only_one] == [2]
    none_unparsed = run("dsn", "list", "--json", "--state", "unparsed", cwd=tmp_path)
    assert json_lines(none_unparsed.stdout) == []
    future = run("dsn", "list", "--json", "--since", "2999-01-01", cwd=tmp_path)
    assert json_lines(future.stdout) == []
    recent = run("dsn", "list", "--json", "--since", "1h", cwd=tmp_path)
    assert len(json_lines(recent.stdout)) == 2

    shown = run("dsn", "show", "1", "--json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr.decode()
    (doc,) = json_lines(shown.stdout)
    assert doc["raw"] == NO_SUCH.read_text()
    assert doc["kind"] == "dsn"
    assert doc["recipients"][0]["rule"]  # type: ignore[index]
    human = run("dsn", "show", "1", cwd=tmp_path)
    assert b"550 No such recipient" in human.stdout
    assert b"Raw source:" in human.stdout
    raw = run("dsn", "show", "1", "--raw", cwd=tmp_path)
    assert raw.stdout == NO_SUCH.read_bytes()
    missing = run("dsn", "show", "99", cwd=tmp_path)
    assert missing.returncode == 1
    assert b"no message 99" in missing.stderr

    stats = run("stats", "--json", cwd=tmp_path)
    (counts,) = json_lines(stats.stdout)
    assert counts["messages"] == 2
    assert counts["by_state"] == {"parsed": 2}
    assert sum(counts["by_severity"].values()) == 2  # type: ignore[attr-defined]


def test_ingest_exits_75_when_the_store_path_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "not-a-dir").write_text("a file where a directory should be")
    db = f"sqlite+aiosqlite:///{tmp_path / 'not-a-dir' / 'bounce-sink.db'}"
    result = run("ingest", str(NO_SUCH), cwd=tmp_path, db=db)
    assert result.returncode == 75
    assert b"not stored" in result.stderr
    assert b"not-a-dir" in result.stderr  # says which path to fix


def test_ingest_exits_75_when_the_table_cannot_be_written(tmp_path: Path) -> None:
    db_path = tmp_path / "store.db"
    db = f"sqlite+aiosqlite:///{db_path}"
    assert run("db", "upgrade", cwd=tmp_path, db=db).returncode == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("ALTER TABLE messages RENAME TO messages_away")
    result = run("ingest", str(NO_SUCH), cwd=tmp_path, db=db)
    assert result.returncode == 75, result.stderr.decode()
    with sqlite3.connect(db_path) as conn:
        conn.execute("ALTER TABLE messages_away RENAME TO messages")
    retried = run("ingest", str(NO_SUCH), cwd=tmp_path, db=db)
    assert retried.returncode == 0, retried.stderr.decode()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone() == (1,)


def test_db_upgrade_reports_revision_and_database_option_after_subcommand(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    result = run("db", "upgrade", "--database", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert b"at revision 0001" in result.stdout
    assert (tmp_path / "x.db").is_file()
    assert not (tmp_path / "var").exists()
