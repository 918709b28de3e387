"""fixtures/courier/: every case has its file, and the lab still makes each one from a real Courier MTA.

The regeneration test runs tools/courier_lab/make_fixtures.py into a
temporary directory (Debian bookworm's courier-mta 1.0.16, unpacked into a
cache on first use, about 20 s afterwards) and checks that each fresh notice
reads exactly as the committed fixture does, so a changed Courier or a
changed lab shows up as a difference instead of a silently stale fixture.
It needs root (a private mount namespace) and ``apt-get download``; when
Courier cannot run it fails, it never skips.
"""

from __future__ import annotations

import email
import sys
from pathlib import Path

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "courier"
sys.path.insert(0, str(REPO / "tools"))

from courier_lab.make_fixtures import CASES, MTA_HOSTNAME, generate  # noqa: E402
from postfix_lab.newsletter import RETURN_PATH  # noqa: E402

Reading = tuple[str, str, str, str, str, str, str, str]


def readings(raw: bytes) -> list[Reading]:
    """What a notice says per recipient, without the run-specific parts (queue ids, dates)."""
    report = parse_message(raw)
    got = []
    for r in report.recipients:
        verdict = classify_recipient(r, report)
        got.append(
            (
                r.address,
                r.action,
                r.status,
                r.reply_code,
                r.diagnostic,
                verdict.reason,
                verdict.severity,
                verdict.side,
            )
        )
    return sorted(got)


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert {case.fixture for case in CASES} == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_notice_from_a_real_courier(tmp_path: Path) -> None:
    written = generate(tmp_path)

    assert sorted(path.name for path in written) == sorted(case.fixture for case in CASES)
    for case in CASES:
        raw = (tmp_path / case.fixture).read_bytes()
        assert raw.startswith(b"Return-Path: <>\n"), case.fixture
        message = email.message_from_bytes(raw)
        assert message["From"] == f"mailer-daemon@{MTA_HOSTNAME}", case.fixture
        assert message["To"] == RETURN_PATH, case.fixture
        assert message["Subject"] == case.subject, case.fixture
        assert b"running the Courier mail server, version 1.0.16." in raw, case.fixture
        committed = (FIXTURES / case.fixture).read_bytes()
        assert readings(raw) == readings(committed), case.fixture
        assert readings(raw), case.fixture
