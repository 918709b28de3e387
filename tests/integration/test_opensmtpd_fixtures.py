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
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from mta_lab.newsletter import RETURN_PATH
from opensmtpd_lab.make_fixtures import CASES, MTA_HOSTNAME, Case, generate

FIXTURES = REPO / "fixtures" / "opensmtpd"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def smtpd_wrote(case: Case, raw: bytes) -> None:
    message = email.message_from_bytes(raw)
    assert message["To"] == RETURN_PATH
    assert message["From"] == f"Mailer Daemon <MAILER-DAEMON@{MTA_HOSTNAME}>"
    assert message["Subject"] == f"Delivery status notification: {case.subject}"


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_opensmtpd(tmp_path: Path) -> None:
    # smtpd lists the recipients of one bounce in envelope-id order, random per
    # run: the shared reading sorts them.
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, smtpd_wrote)
