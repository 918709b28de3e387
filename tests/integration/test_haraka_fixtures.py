"""fixtures/haraka/: every case has its file, and the lab still makes each one from a real Haraka.

The regeneration test runs tools/haraka_lab/make_fixtures.py into a
temporary directory (Haraka 3.3.4 from npm, installed into HARAKA_LAB_CACHE
on first use, about 10 s afterwards: the 4xx and the refused connection wait
for Haraka's one 5 s retry) and checks that each fresh bounce reads exactly
as the committed fixture does: queue ids, boundaries and dates change from
run to run, what a reader gets out of the bounce must not, so a changed
Haraka or a changed lab shows up as a difference instead of a silently stale
fixture.  It needs node >= 20 and npm (or a filled cache), and root for the
stub nameserver on port 53 of 127.0.53.54; when Haraka cannot run it fails,
it never skips.
"""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

from bounce_sink.parse import parse_message

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from haraka_lab.instance import HARAKA_VERSION, MTA_HOSTNAME
from haraka_lab.make_fixtures import CASES, Case, generate
from mta_lab.newsletter import RETURN_PATH

FIXTURES = REPO / "fixtures" / "haraka"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def haraka_wrote(case: Case, raw: bytes) -> None:
    message = email.message_from_bytes(raw)
    assert message.get_content_type() == "multipart/report", case.fixture
    assert message["Received"].startswith("(Haraka outbound)"), case.fixture
    # The original's headers come back, with Haraka's own Received line on top.
    assert f"by {MTA_HOSTNAME} (Haraka/{HARAKA_VERSION})".encode() in raw, case.fixture
    if case.bare:  # no bounce templates: no From, To, Subject
        assert message["From"] is None and message["Subject"] is None, case.fixture
    else:
        assert message["From"] == f"MAILER-DAEMON@{MTA_HOSTNAME}", case.fixture
        assert message["To"] == f"<{RETURN_PATH}>", case.fixture
        assert message["Subject"] == "failure notice", case.fixture
        assert b"This is the Haraka Mailer program at" in raw, case.fixture
    assert parse_message(raw).format == "rfc3464", case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_haraka(tmp_path: Path) -> None:
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, haraka_wrote)
