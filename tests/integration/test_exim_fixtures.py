"""fixtures/exim/: every case has its file, and the lab still makes each one from a real Exim.

The regeneration test runs tools/exim_lab/make_fixtures.py into a temporary
directory (Debian bookworm's Exim 4, unpacked into a cache on first use, about
10 s afterwards) and checks that each fresh bounce reads exactly as the
committed fixture does, so a changed Exim or a changed lab shows up as a
difference instead of a silently stale fixture. It needs root and
``apt-get download``; when Exim cannot run it fails, it never skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from exim_lab.make_fixtures import CASES, Case, generate
from lab_readings import Reading, readings
from mta_lab.newsletter import RETURN_PATH

FIXTURES = REPO / "fixtures" / "exim"


def readings_without_text(raw: bytes) -> list[Reading]:
    """The tables' reading without the diagnostic: only the verdict and codes are compared."""
    return sorted(r._replace(text="") for r in readings(raw))


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def exim_wrote(case: Case, raw: bytes) -> None:
    assert b"\nFrom: Mail Delivery System <Mailer-Daemon@" in raw, case.fixture
    assert f"\nTo: {RETURN_PATH}\n".encode() in raw, case.fixture
    assert b"(Exim 4.96)" in raw, case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_exim(tmp_path: Path) -> None:
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, exim_wrote, readings_without_text)
