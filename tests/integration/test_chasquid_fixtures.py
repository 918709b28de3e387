"""fixtures/chasquid/: every case has its file, and the lab still makes each one from a real chasquid.

The regeneration test runs tools/chasquid_lab/make_fixtures.py into a
temporary directory (Debian bookworm's chasquid 1.11, unpacked into a cache
on first use, about 3 s afterwards) and checks that each fresh notice reads
exactly as the committed fixture does: queue ids and dates change from run
to run, what a reader gets out of the notice must not, so a changed chasquid
or a changed lab shows up as a difference instead of a silently stale
fixture.  It needs root (a mount namespace with bind mounts over resolv.conf
and hosts), 127.0.54.54:53 free for the stub nameserver, ``openssl`` and
``apt-get download``; when chasquid cannot run it fails, it never skips.
"""

from __future__ import annotations

import email
import re
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

from bounce_sink.parse import parse_message

# lab_regeneration has put tools/ and tests/unit/parse/ on sys.path.
# isort: split
from chasquid_lab.make_fixtures import BOUNCE_DOMAIN, CASES, Case, generate
from lab_readings import Reading, readings
from mta_lab.newsletter import RETURN_PATH

FIXTURES = REPO / "fixtures" / "chasquid"


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def chasquid_wrote(case: Case, raw: bytes) -> None:
    message = email.message_from_bytes(raw)
    assert message["From"] == f"Mail Delivery System <postmaster-dsn@{BOUNCE_DOMAIN}>"
    assert message["To"] == f"<{RETURN_PATH}>", case.fixture
    assert message["Subject"] == "Mail delivery failed: returning message to sender"
    assert message["Message-ID"].startswith("<chasquid-dsn-"), case.fixture
    assert case.recipient in message["X-Failed-Recipients"], case.fixture
    assert message.get_content_type() == "multipart/report", case.fixture
    assert parse_message(raw).format == "rfc3464", case.fixture


def read_without_ports(raw: bytes) -> list[Reading]:
    """The table's reading, with the lab's port (free_port, new every run) in a
    refused connection's "dial tcp 127.0.0.2:<port>" written as PORT."""
    return [
        r._replace(text=re.sub(r"(dial tcp 127\.0\.0\.2):\d+", r"\1:PORT", r.text))
        for r in readings(raw)
    ]


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_notice_from_a_real_chasquid(tmp_path: Path) -> None:
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, chasquid_wrote, read=read_without_ports)
