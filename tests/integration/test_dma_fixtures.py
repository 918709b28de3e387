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
import sys
from pathlib import Path

import pytest

from bounce_sink.parse import parse_message

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "dma"
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tests" / "unit" / "parse"))

from dma_lab.make_fixtures import CASES, generate  # noqa: E402
from lab_readings import readings  # noqa: E402  (the fixture table's reading of a bounce)
from postfix_lab.newsletter import RETURN_PATH  # noqa: E402


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert {case.fixture for case in CASES} == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_bounce_from_a_real_dma(tmp_path: Path) -> None:
    written = generate(tmp_path)

    assert sorted(path.name for path in written) == sorted(case.fixture for case in CASES)
    for case in CASES:
        raw = (tmp_path / case.fixture).read_bytes()
        assert raw.startswith(b"Return-Path: <>\n"), case.fixture
        message = email.message_from_bytes(raw)
        assert message["From"] == "MAILER-DAEMON <>", case.fixture
        assert message["To"] == RETURN_PATH, case.fixture
        assert message["Subject"] == "Mail delivery failed", case.fixture
        assert "(DragonFly Mail Agent v0.13)" in message["Received"], case.fixture
        assert parse_message(raw).format == "dragonfly", case.fixture
        committed = (FIXTURES / case.fixture).read_bytes()
        assert readings(raw) == readings(committed), case.fixture
        assert readings(raw), case.fixture
