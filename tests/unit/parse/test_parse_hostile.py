"""Hostile input: the parser never raises and stays within its bounds."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounce_sink.parse import parse_message
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.pipeline import parse_bytes

HEAD = b"From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n"


def _timed(raw: bytes) -> float:
    """CPU seconds of this process for one parse (a blow-up in the reader takes
    minutes; wall time would also count whatever else the machine runs, and a
    loaded 2-CPU CI host once took 6.2 s of wall time for a 1 s parse)."""
    t0 = time.process_time()
    report = parse_message(raw)
    elapsed = time.process_time() - t0
    assert len(report.recipients) <= DEFAULT_LIMITS.max_recipients
    return elapsed


def test_deep_nesting() -> None:
    depth = 5000
    parts = [HEAD + b"MIME-Version: 1.0\n"]
    for i in range(depth):
        parts.append(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i))
    parts.append(b"Content-Type: text/plain\n\n<x@example.com>: 550 5.1.1 no such user\n")
    assert _timed(b"".join(parts)) < 5.0


def test_deeply_nested_message_rfc822() -> None:
    raw = HEAD + b"Content-Type: message/rfc822\n\n" * 3000 + b"hello\n"
    assert _timed(raw) < 5.0


def test_huge_header() -> None:
    raw = HEAD + b"X-Junk: " + b"a" * (4 << 20) + b"\n\nbody\n"
    assert _timed(raw) < 5.0


def test_many_header_fields() -> None:
    raw = HEAD + b"".join(b"X-F%d: v\n" % i for i in range(100_000)) + b"\nbody\n"
    assert _timed(raw) < 5.0


def test_ten_thousand_parts() -> None:
    body = b"".join(
        b"--sep\nContent-Type: text/plain\n\n<u%d@example.com>: 550 5.1.1 no such user\n" % i
        for i in range(10_000)
    )
    raw = (
        HEAD
        + b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="sep"\n\n'
        + body
        + b"--sep--\n"
    )
    assert _timed(raw) < 10.0


def test_many_recipients_are_capped() -> None:
    fields = b"".join(
        b"Final-Recipient: rfc822; u%d@example.com\nAction: failed\nStatus: 5.1.1\n\n" % i
        for i in range(5000)
    )
    raw = (
        HEAD
        + b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        + b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
        + fields
        + b"--b--\n"
    )
    report = parse_message(raw)
    assert len(report.recipients) == DEFAULT_LIMITS.max_recipients


def test_empty_and_garbage() -> None:
    for raw in (b"", b"\x00" * 1000, b"\xff\xfe" * 500, b"From:\n\n", b"=?utf-8?b?====?=\n\n"):
        report = parse_message(raw)
        assert report.kind in ("dsn", "arf", "autoreply", "unknown")


def test_not_bytes_is_an_error_report() -> None:
    report = parse_bytes("text, not bytes")  # type: ignore[arg-type]
    assert report.error and report.kind == "unknown"


_header_name = st.sampled_from(
    [
        b"From",
        b"Subject",
        b"Content-Type",
        b"Content-Transfer-Encoding",
        b"X-Failed-Recipients",
        b"Final-Recipient",
        b"Action",
        b"Status",
        b"Diagnostic-Code",
        b"Auto-Submitted",
    ]
)
_header_value = st.one_of(
    st.binary(max_size=80),
    st.sampled_from(
        [
            b'multipart/report; report-type=delivery-status; boundary="b"',
            b"message/delivery-status",
            b"multipart/mixed; boundary=b",
            b"base64",
            b"quoted-printable",
            b"rfc822; a@example.com",
            b"=?utf-8?q?=E2=82?=",
            b"=?iso-2022-jp?b?GyRCJUYlOSVIGyhC?=",
            b"MAILER-DAEMON",
        ]
    ),
)
_line = st.one_of(
    st.binary(max_size=120),
    st.sampled_from(
        [
            b"--b",
            b"--b--",
            b"",
            b"Final-Recipient: rfc822; x@example.com",
            b"Status: 5.1.1",
            b"Content-Type: message/delivery-status",
            b"<y@example.org>: 550 no",
        ]
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.tuples(_header_name, _header_value), max_size=8),
    lines=st.lists(_line, max_size=40),
    ending=st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_generated_mime_never_raises(
    headers: list[tuple[bytes, bytes]], lines: list[bytes], ending: bytes
) -> None:
    raw = (
        ending.join(name + b": " + value for name, value in headers)
        + ending * 2
        + ending.join(lines)
    )
    t0 = time.perf_counter()
    report = parse_message(raw)
    assert time.perf_counter() - t0 < 2.0
    assert report.kind in ("dsn", "arf", "autoreply", "unknown")
    assert len(report.recipients) <= DEFAULT_LIMITS.max_recipients
