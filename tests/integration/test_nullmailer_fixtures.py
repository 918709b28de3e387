"""fixtures/nullmailer/: every case has its file, and the lab still makes each one from a real nullmailer.

The regeneration test runs tools/nullmailer_lab/make_fixtures.py into a
temporary directory (Debian bookworm's nullmailer 2.2, unpacked into a cache
on first use, about 2 s afterwards) and checks that each fresh bounce reads
exactly as the committed fixture does: queue ids, pids, boundaries and dates
change from run to run, what a reader gets out of the bounce must not, so a
changed nullmailer or a changed lab shows up as a difference instead of a
silently stale fixture.  It needs root (a mount namespace), the ``mail``
user, 127.0.25.53:53 free for the stub nameserver and ``apt-get download``;
when nullmailer cannot run it fails, it never skips.
"""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

from bounce_sink.parse import parse_message

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from mta_lab.newsletter import RETURN_PATH
from nullmailer_lab.make_fixtures import CASES, MAILNAME, Case, generate

FIXTURES = REPO / "fixtures" / "nullmailer"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def nullmailer_wrote(case: Case, raw: bytes) -> None:
    """nullmailer-dsn's own headers, and the report queued back through nullmailer-queue."""
    message = email.message_from_bytes(raw)
    assert message["From"] == f"Message Delivery Subsystem <MAILER-DAEMON@{MAILNAME}>", case.fixture
    assert message["To"] == f"<{RETURN_PATH}>", case.fixture
    assert message["Subject"] == "Returned mail: Could not send message", case.fixture
    assert message["Received"].startswith("(nullmailer pid "), case.fixture
    assert message.get_content_type() == "multipart/report", case.fixture
    assert b"This is the nullmailer delivery system." in raw, case.fixture
    assert b"Reporting-MTA: x-local-hostname; " + MAILNAME.encode() in raw, case.fixture
    assert parse_message(raw).format == "rfc3464", case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_nullmailer(tmp_path: Path) -> None:
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, nullmailer_wrote)
