"""fixtures/sendmail/: every case has its file, and the lab still makes each one from a real Sendmail.

The regeneration test runs tools/sendmail_lab/make_fixtures.py into a
temporary directory (Debian bookworm's sendmail 8.17, unpacked into a cache
on first use; two Sendmails at once, reports and plain text, about 10 s
afterwards: the give-up cases wait out an 8 s queue return time) and checks that each fresh bounce reads exactly as the committed
fixture does, so a changed Sendmail or a changed lab shows up as a difference
instead of a silently stale fixture. It needs root, ``unshare`` and
``apt-get download``; when Sendmail cannot run it fails, it never skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from mta_lab.newsletter import RETURN_PATH
from sendmail_lab.make_fixtures import ALL_CASES, PLAIN_TEXT, Case, generate

FIXTURES = REPO / "fixtures" / "sendmail"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(ALL_CASES, FIXTURES)


def sendmail_wrote(case: Case, raw: bytes) -> None:
    assert b"\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@" in raw, case.fixture
    # Sendmail writes the sender as it got it: <...> from SMTP, bare from its command line.
    head = raw.split(b"\n\n", 1)[0]
    assert f"\nTo: <{RETURN_PATH}>\n".encode() in head or (
        case.command_line and f"\nTo: {RETURN_PATH}\n".encode() in head
    ), case.fixture
    assert b"(8.17.1.9/8.17.1.9)" in raw, case.fixture
    if case.fixture.startswith(PLAIN_TEXT):  # SendMimeErrors off
        assert b"multipart/report" not in raw, case.fixture
        assert b"\n   ----- Original message follows -----\n" in raw, case.fixture
    else:
        assert b"report-type=delivery-status" in raw, case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_sendmail(tmp_path: Path) -> None:
    assert_regenerates(generate, ALL_CASES, FIXTURES, tmp_path, sendmail_wrote)
