"""fixtures/opensmtpd/: every case has its file, and the lab still makes each one from a real OpenSMTPD.

The regeneration test runs tools/opensmtpd_lab/make_fixtures.py into a
temporary directory (Debian's opensmtpd unpacked into a cache, about 10 s once
it is there) and checks that each new bounce parses and classifies as its
committed fixture does: dates and envelope ids change from run to run, what a
reader gets out of the bounce must not.  It fails, never skips, when smtpd
cannot run (not root, package not downloadable, users missing).
"""

from __future__ import annotations

import email
import sys
from pathlib import Path

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "opensmtpd"
sys.path.insert(0, str(REPO / "tools"))

from opensmtpd_lab.make_fixtures import CASES, MTA_HOSTNAME, generate  # noqa: E402
from postfix_lab.newsletter import RETURN_PATH  # noqa: E402

Reading = tuple[str, str, str, str, str, str, str, str]


def readings(raw: bytes) -> list[Reading]:
    """What our parser and classifier read out of one bounce, minus what varies per run."""
    report = parse_message(raw)
    out: list[Reading] = []
    for r in report.recipients:
        verdict = classify_recipient(r, report)
        out.append(
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
    return out


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert {case.fixture for case in CASES} == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_opensmtpd(tmp_path: Path) -> None:
    written = generate(tmp_path)

    assert sorted(path.name for path in written) == sorted(case.fixture for case in CASES)
    for case in CASES:
        raw = (tmp_path / case.fixture).read_bytes()
        assert raw.startswith(b"Return-Path: <>\n"), case.fixture
        message = email.message_from_bytes(raw)
        assert message["To"] == RETURN_PATH
        assert message["From"] == f"Mailer Daemon <MAILER-DAEMON@{MTA_HOSTNAME}>"
        assert message["Subject"] == f"Delivery status notification: {case.subject}"
        committed = (FIXTURES / case.fixture).read_bytes()
        # smtpd lists the recipients of one bounce in envelope-id order, random per run.
        assert sorted(readings(raw)) == sorted(readings(committed)), case.fixture
