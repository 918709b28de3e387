"""`bounce-sink ingest`, `dsn list/show`, `stats` and `db upgrade`, run as a user runs them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bounce_sink.cli import cli

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
    db_path = tmp_path / "var" / "bounce-sink.db"
    assert db_path.is_file()

    # The views, in-process (same code path as the console script, much faster).
    runner = CliRunner()
    db = f"sqlite+aiosqlite:///{db_path}"

    def view(*args: str) -> Result:
        result = runner.invoke(cli, ["--database", db, *args], obj={})
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    rows = json_lines(view("dsn", "list", "--json").stdout_bytes)
    assert [r["id"] for r in rows] == [2, 1]  # newest first
    assert rows[1]["rcpt_tos"] == ["bounces@localhost"]
    assert rows[1]["source"] == "ingest"
    assert all(r["state"] == "parsed" for r in rows)
    recipients = rows[0]["recipients"]
    assert isinstance(recipients, list)
    assert recipients[0]["address"] == "full.person@example.com"
    assert recipients[0]["diagnostic"] == "552 5.2.2 <> Mailbox has exceeded the limit"

    only_one = json_lines(view("dsn", "list", "--json", "--limit", "1").stdout_bytes)
    assert [r["id"] for r in only_one] == [2]
    assert json_lines(view("dsn", "list", "--json", "--state", "unparsed").stdout_bytes) == []
    assert json_lines(view("dsn", "list", "--json", "--since", "2999-01-01").stdout_bytes) == []
    assert len(json_lines(view("dsn", "list", "--json", "--since", "1h").stdout_bytes)) == 2
    by_reason = json_lines(view("dsn", "list", "--json", "--reason", "mailbox_full").stdout_bytes)
    assert [r["id"] for r in by_reason] == [2]
    by_address = view("dsn", "list", "--json", "--address", "Nobody.Here@example.com")
    assert [r["id"] for r in json_lines(by_address.stdout_bytes)] == [1]
    table = view("dsn", "list").stdout
    assert "full.person@example.com mailbox_full/soft bounce_fm" in table

    (doc,) = json_lines(view("dsn", "show", "1", "--json").stdout_bytes)
    assert doc["raw"] == NO_SUCH.read_text()
    assert doc["kind"] == "dsn"
    assert doc["recipients"][0]["rule"]  # type: ignore[index]
    human = view("dsn", "show", "1").stdout
    assert "550 No such recipient" in human
    assert "Raw source:" in human
    assert view("dsn", "show", "1", "--raw").stdout_bytes == NO_SUCH.read_bytes()
    missing = view("dsn", "show", "99")
    assert missing.exit_code == 1
    assert "no message 99" in missing.stderr

    (counts,) = json_lines(view("stats", "--json").stdout_bytes)
    assert counts["messages"] == 2
    assert counts["by_state"] == {"parsed": 2}
    assert sum(counts["by_severity"].values()) == 2  # type: ignore[attr-defined]
    assert counts["by_code"]["bounce_fm"] == 1  # type: ignore[index]


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


def test_dsn_retry_processes_an_unparsed_message_again(tmp_path: Path) -> None:
    import asyncio

    from bounce_sink.config import load_settings
    from bounce_sink.processing import Processor
    from bounce_sink.store.db import make_engine, make_sessionmaker
    from bounce_sink.store.messages import Envelope, store_message
    from bounce_sink.store.migrate import upgrade

    db = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"

    async def make_unparsed() -> int:
        await upgrade(db)
        engine = make_engine(db)
        try:
            sm = make_sessionmaker(engine)
            message_id = await store_message(
                sm, NO_SUCH.read_bytes(), Envelope(source="smtp"), store_limit=1 << 20
            )
            settings = load_settings(env={}, database_url=db)
            # A parse that gives up (timeout) leaves the message unparsed, as a parser bug would.
            assert await Processor(settings, sm, parse_timeout=0).process(message_id) == "unparsed"
            return message_id
        finally:
            await engine.dispose()

    message_id = asyncio.run(make_unparsed())
    runner = CliRunner()
    listed = runner.invoke(cli, ["--database", db, "dsn", "list", "--state", "unparsed", "--json"])
    assert [r["id"] for r in json_lines(listed.stdout_bytes)] == [message_id]
    usage = runner.invoke(cli, ["--database", db, "dsn", "retry"])
    assert usage.exit_code == 2
    retried = runner.invoke(cli, ["--database", db, "dsn", "retry", "--all-unparsed", "--json"])
    assert retried.exit_code == 0, retried.output
    assert json_lines(retried.stdout_bytes) == [{"id": message_id, "state": "parsed"}]
    again = runner.invoke(cli, ["--database", db, "dsn", "retry", str(message_id)])
    assert "not retried" in again.stderr  # parsed now: reclassify's job, not retry's


def test_config_file_after_the_subcommand_picks_the_store(tmp_path: Path) -> None:
    db_path = tmp_path / "from-config.db"
    config = tmp_path / "sink.toml"
    config.write_text(f'database_url = "sqlite+aiosqlite:///{db_path}"\nlog_format = "console"\n')
    runner = CliRunner()
    stored = runner.invoke(cli, ["ingest", "--config", str(config), str(FULL)], env={})
    assert stored.exit_code == 0, stored.output
    assert db_path.is_file()
    listed = runner.invoke(cli, ["dsn", "list", "--json", "--config", str(config)], env={})
    assert [r["id"] for r in json_lines(listed.stdout_bytes)] == [1]
    broken = tmp_path / "broken.toml"
    broken.write_text("no_such_key = 1\n")
    refused = runner.invoke(cli, ["stats", "--config", str(broken)], env={})
    assert refused.exit_code == 1
    assert "unknown key 'no_such_key'" in refused.stderr
    assert "known keys: " in refused.stderr and "database_url" in refused.stderr
    broken.write_text("smtp_prot = 2526\n")
    misspelt = runner.invoke(cli, ["stats", "--config", str(broken)], env={})
    assert misspelt.exit_code == 1
    assert "unknown key 'smtp_prot' (did you mean 'smtp_port'?)" in misspelt.stderr
