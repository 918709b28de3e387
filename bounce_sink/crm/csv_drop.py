"""The CSV drop adapter: one dated CSV file per day for CRMs that import files.

Rows are appended atomically: the day's file is rewritten to a temporary file
beside it with the new rows, fsynced, and renamed over the old one, so an
importer never reads half a row and a crash leaves either the old or the new
file. An event already in the day's file (a redelivery after a crash) is not
written twice; the `event_id` column lets the importer drop duplicates across days.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from bounce_sink.crm.adapter import DeliveryResult, OutboundEvent

log = structlog.get_logger("bounce_sink.crm.csv_drop")

COLUMNS = (
    "event_id",
    "type",
    "occurred_at",
    "person_id",
    "address",
    "bulk_email",
    "code",
    "reason",
    "severity",
    "side",
    "status",
    "diagnostic",
    "dsn_id",
    "interaction_id",
    "list_name",
)


def file_for(directory: Path, day: datetime) -> Path:
    return directory / f"bounce-sink-events-{day:%Y-%m-%d}.csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def row_for(payload: dict[str, Any]) -> list[str]:
    return [_cell(payload.get(column)) for column in COLUMNS]


def append_rows(path: Path, payloads: Sequence[dict[str, Any]]) -> int:
    """Append the rows not yet in the file; returns how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    seen = {row[0] for row in csv.reader(io.StringIO(existing)) if row} if existing else set()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if not existing:
        writer.writerow(COLUMNS)
    written = 0
    for payload in payloads:
        if str(payload.get("event_id")) in seen:
            continue
        writer.writerow(row_for(payload))
        seen.add(str(payload.get("event_id")))
        written += 1
    if written == 0 and existing:
        return 0
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(existing)
            fh.write(out.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return written


class CsvDropAdapter:
    name = "csv"

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    async def deliver(self, batch: Sequence[OutboundEvent]) -> list[DeliveryResult]:
        if not batch:
            return []
        path = file_for(self.directory, datetime.now(UTC))
        try:
            written = await asyncio.to_thread(append_rows, path, [e.payload for e in batch])
        except OSError as exc:
            # A full disk or a missing mount is temporary from the events' side.
            return [DeliveryResult.retry(e.event_id, f"cannot write {path}: {exc}") for e in batch]
        log.info("crm.csv.appended", file=str(path), rows=written, batch=len(batch))
        return [DeliveryResult.delivered(e.event_id) for e in batch]

    async def aclose(self) -> None:
        return None
