"""fixtures/postfix/: every case has its file, and the lab still makes each one from a real Postfix.

The regeneration test runs tools/postfix_lab/make_fixtures.py into a temporary
directory (a real private Postfix, about 5 s) and checks every DSN it wrote
with the standard library alone, so it does not depend on our parser.
"""

from __future__ import annotations

import email
from email.message import Message
from pathlib import Path

import pytest
from lab_regeneration import REPO, assert_every_case_has_a_fixture, assert_regenerates

# lab_regeneration has put tools/ on sys.path.
# isort: split
from mta_lab.newsletter import RETURN_PATH
from postfix_lab.make_fixtures import CASES, Case, generate

FIXTURES = REPO / "fixtures" / "postfix"


def delivery_status(raw: bytes) -> tuple[Message, list[Message]]:
    """The message and the per-recipient field blocks of its message/delivery-status part."""
    message = email.message_from_bytes(raw)
    assert message.get_content_type() == "multipart/report"
    assert message.get_param("report-type") == "delivery-status"
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks = part.get_payload()
            assert isinstance(blocks, list)
            fields = [block for block in blocks if isinstance(block, Message)]
            return message, fields[1:]  # the first block is per-message
    pytest.fail("no message/delivery-status part")


def test_every_case_has_a_committed_fixture_and_nothing_else_is_there() -> None:
    assert_every_case_has_a_fixture(CASES, FIXTURES)


def postfix_wrote(case: Case, raw: bytes) -> None:
    message, recipients = delivery_status(raw)
    assert message["To"] == RETURN_PATH
    assert message["From"].startswith("Mail Delivery System <MAILER-DAEMON@")
    # One block per recipient Postfix reports on: the case's, plus those others refused.
    refused = [address for address, reply in case.others if reply]
    finals = [block["Final-Recipient"] for block in recipients]
    final = case.forwarded_to or case.recipient
    assert finals == [f"rfc822; {a}" for a in (final, *refused)], case.fixture
    # Postfix names the address it was given, before any rewriting.
    assert recipients[0]["Original-Recipient"] == f"rfc822;{case.recipient}", case.fixture
    first = recipients[0]
    assert (first["Action"], first["Status"]) == (case.action, case.status), case.fixture


@pytest.mark.integration
@pytest.mark.slow
def test_make_fixtures_regenerates_each_dsn_from_a_real_postfix(tmp_path: Path) -> None:
    # Checked with the standard library alone (read=None): not through our parser.
    assert_regenerates(generate, CASES, FIXTURES, tmp_path, postfix_wrote, read=None)
