"""fixtures/dma/: every case has its file, and the lab still makes each one from a real dma.

The regeneration test runs tools/dma_lab/make_fixtures.py into a temporary
directory (Debian bookworm's dma 0.13, unpacked into a cache on first use,
about 2 s afterwards) and checks that each fresh bounce reads exactly as the
committed fixture does: queue ids and dates change from run to run, what a
reader gets out of the bounce must not, so a changed dma or a changed lab
shows up as a difference instead of a silently stale fixture.  It needs root
(a mount namespace), the ``mail`` user, 127.0.53.53:53 free for the stub
nameserver and ``apt-get download``; when dma cannot run it fails, it never
skips.
"""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

from bounce_sink.parse import parse_message

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from dma_lab.make_fixtures import CASES, Case, generate
from mta_lab.newsletter import RETURN_PATH

FIXTURES = REPO / "fixtures" / "dma"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def dma_wrote(case: Case, raw: bytes) -> None:
    message = email.message_from_bytes(raw)
    assert message["From"] == "MAILER-DAEMON <>", case.fixture
    assert message["To"] == RETURN_PATH, case.fixture
    assert message["Subject"] == "Mail delivery failed", case.fixture
    assert "(DragonFly Mail Agent v0.13)" in message["Received"], case.fixture
    assert parse_message(raw).format == "dragonfly", case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_dma(tmp_path: Path) -> None:
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, dma_wrote)
