"""A report's arrival date: the delivery-status Arrival-Date, else the Date header.

The pipeline reads the Date header only when no Arrival-Date gave a date
(most DSNs carry one); these cases hold every way to the answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bounce_sink.parse.pipeline import parse_bytes

_DSN = """\
From: MAILER-DAEMON@mx.example.org
To: bounces@example.com
Subject: Undelivered Mail Returned to Sender
{date}MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Your message could not be delivered.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
{arrival}
Final-Recipient: rfc822; gone@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b--
"""
_DATE = "Date: Tue, 7 May 2024 10:00:00 +0000\n"
_ARRIVAL = "Arrival-Date: Mon, 6 May 2024 09:30:00 +0200"


def _dsn(date: str, arrival: str) -> bytes:
    return _DSN.format(date=date, arrival=arrival).encode()


def test_the_arrival_date_wins() -> None:
    report = parse_bytes(_dsn(_DATE, _ARRIVAL))
    assert report.kind == "dsn"
    assert report.arrival_date == datetime(2024, 5, 6, 9, 30, tzinfo=timezone(timedelta(hours=2)))


def test_an_unreadable_arrival_date_leaves_the_date_header() -> None:
    report = parse_bytes(_dsn(_DATE, "Arrival-Date: sometime last week"))
    assert report.kind == "dsn"
    assert report.arrival_date == datetime(2024, 5, 7, 10, 0, tzinfo=UTC)


def test_without_an_arrival_date_the_date_header() -> None:
    report = parse_bytes(_dsn(_DATE, ""))
    assert report.arrival_date == datetime(2024, 5, 7, 10, 0, tzinfo=UTC)


def test_without_either_none() -> None:
    assert parse_bytes(_dsn("", "")).arrival_date is None
    assert parse_bytes(_dsn("", "Arrival-Date: never")).arrival_date is None


def test_a_message_that_is_no_bounce_has_its_date_header() -> None:
    raw = b"From: a@example.com\nTo: b@example.org\nSubject: hi\n" + _DATE.encode() + b"\nhello\n"
    report = parse_bytes(raw)
    assert report.kind == "unknown"
    assert report.arrival_date == datetime(2024, 5, 7, 10, 0, tzinfo=UTC)
