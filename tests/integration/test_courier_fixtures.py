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
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from courier_lab.make_fixtures import CASES, MTA_HOSTNAME, Case, generate
from mta_lab.newsletter import RETURN_PATH

FIXTURES = REPO / "fixtures" / "courier"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def courier_wrote(case: Case, raw: bytes) -> None:
    message = email.message_from_bytes(raw)
    assert message["From"] == f"mailer-daemon@{MTA_HOSTNAME}", case.fixture
    assert message["To"] == RETURN_PATH, case.fixture
    assert message["Subject"] == case.subject, case.fixture
    assert b"running the Courier mail server, version 1.0.16." in raw, case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_notice_from_a_real_courier(tmp_path: Path) -> None:
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, courier_wrote)
