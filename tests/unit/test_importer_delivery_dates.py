"""When a mailbox says it got a message: the mbox "From " line, the Maildir file name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bounce_sink.importer import maildir_delivered_at, mbox_delivered_at


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026", datetime(2026, 11, 26, 10, tzinfo=UTC)),
        (
            b"From MAILER-DAEMON  Mon Mar  2 08:30:05 2026",
            datetime(2026, 3, 2, 8, 30, 5, tzinfo=UTC),
        ),
        (b"From bounce@example.org Sat Jan  3 00:00:00 2026\r", datetime(2026, 1, 3, tzinfo=UTC)),
        (b"From MAILER-DAEMON", None),
        (b"From MAILER-DAEMON Thu Nov 31 10:00:00 2026", None),  # no such day
        (b"Return-Path: <>", None),
        (b"", None),
    ],
)
def test_mbox_from_line(line: bytes, expected: datetime | None) -> None:
    assert mbox_delivered_at(line) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("1772440200.M1P2.mx", datetime(2026, 3, 2, 8, 30, tzinfo=UTC)),
        ("1772440200_1.12345.mx", None),  # not the time.unique.host shape
        ("msg-from-elsewhere", None),
        ("99999999999999999999.M1.mx", None),  # beyond any date
    ],
)
def test_maildir_file_name(key: str, expected: datetime | None) -> None:
    assert maildir_delivered_at(key) == expected
