"""The CSV drop: dated files, atomic appends, no row written twice."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from bounce_sink.crm.adapter import OutboundEvent, Outcome
from bounce_sink.crm.csv_drop import COLUMNS, CsvDropAdapter, file_for


def event(n: int, diagnostic: str = "550 5.1.1 User unknown") -> OutboundEvent:
    payload = {
        "version": 1,
        "event_id": f"interaction-{n}",
        "type": "interaction.recorded",
        "address": f"p{n}@example.com",
        "person_id": None,
        "code": "bounce_hb",
        "reason": "user_unknown",
        "severity": "hard",
        "side": "recipient",
        "diagnostic": diagnostic,
        "dsn_id": n,
        "occurred_at": "2026-11-20T10:00:00+00:00",
    }
    return OutboundEvent(
        n, f"interaction-{n}", "interaction.recorded", f"p{n}@example.com", payload
    )


async def test_rows_are_appended_once_to_the_days_file(tmp_path: Path) -> None:
    adapter = CsvDropAdapter(tmp_path / "export")
    tricky = 'said: "550, no such user"\nsecond line'
    first = await adapter.deliver([event(1), event(2, tricky)])
    again = await adapter.deliver([event(2, tricky), event(3)])  # event 2 redelivered after a crash
    assert {r.outcome for r in first + again} == {Outcome.DELIVERED}
    path = file_for(tmp_path / "export", datetime.now(UTC))
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["event_id"] for r in rows] == ["interaction-1", "interaction-2", "interaction-3"]
    assert rows[1]["diagnostic"] == tricky
    assert rows[0]["person_id"] == "" and rows[0]["dsn_id"] == "1"
    assert list(rows[0]) == list(COLUMNS)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


async def test_an_unwritable_directory_is_a_retry_not_a_loss(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    (result,) = await CsvDropAdapter(blocker / "export").deliver([event(1)])
    assert result.outcome is Outcome.RETRY and "cannot write" in result.error
