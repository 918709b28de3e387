"""fixtures/opensmtpd/: what a person reading each bounce that a real OpenSMTPD 6.8 wrote would say.

The files come from tools/opensmtpd_lab/make_fixtures.py. The rows were
written from the bounce texts and DESIGN.md's taxonomy, not from our output.
Two things about OpenSMTPD 6.8 shape them:

- its delivery-status part always says ``Status: 5.0.0`` for a failure; the
  remote server's own code, quoted in the notice ("addr: 550 5.1.1 ..."), is
  the precise one, so it is the status a reader gives;
- it sends some final outcomes as delay notices: the expiry of a message
  deferred with 4xx ("Envelope expired", ``Action: delayed``, 4.4.7, and the
  text "only a temporary failure report"), and a local LMTP server's 550 5.1.1,
  which its ``mail.lmtp`` reports as a temporary error (Status 4.3.0).  The
  notice says delayed, so the severity is ``none`` (not a failure yet) while
  the reason stays that of the quoted cause.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_readings import (
    DISABLED,
    JOHN_MAILBOX_FULL,
    LOCAL_POLICY,
    NO_SUCH_ACCOUNT,
    OVER_QUOTA,
    REJECTED_AS_SPAM,
    TRY_LATER_WARNING,
    UNKNOWN_JANE,
    Reading,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
    without_report_part,
)

from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "opensmtpd"


EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [NO_SUCH_ACCOUNT],
    "mailbox-full-552-5.2.2.eml": [OVER_QUOTA],
    "disabled-550-5.2.1.eml": [DISABLED],
    "rejected-after-data-554-5.7.1-spam.eml": [REJECTED_AS_SPAM],
    "blocked-by-policy-550-5.7.1.eml": [LOCAL_POLICY],
    # NXDOMAIN: smtpd's own words, no server reply and only its generic 5.0.0.
    "domain-does-not-exist.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "5.0.0",
            "",
            "Domain does not exist",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    "delayed-452-4.2.2.eml": [TRY_LATER_WARNING],
    "expired-after-4xx-envelope-expired.eml": [
        Reading(
            "try-later@example.com",
            "delayed",
            "4.4.7",
            "",
            "Envelope expired",
            "expired",
            "none",
            "unknown",
        )
    ],
    # The relay host refused the connection; smtpd's own words, no server reply.
    "connection-refused-network-error-delayed.eml": [
        Reading(
            "reader@down.example.com",
            "delayed",
            "4.0.0",
            "",
            "Network error on destination MXs",
            "network_error",
            "none",
            "unknown",
        )
    ],
    # Success notices (NOTIFY=SUCCESS): smtpd quotes no server text for them.
    "delivered-success-lmtp-notify-success.eml": [
        Reading(
            "delivered@local.example.org",
            "delivered",
            "2.0.0",
            "",
            "",
            "delivered",
            "none",
            "none",
        )
    ],
    "relayed-success-notify-success.eml": [
        Reading("relayed@example.com", "relayed", "2.0.0", "", "", "delivered", "none", "none")
    ],
    # ann.fine@example.com was accepted, so the bounce names only the two refused.
    "two-recipients-user-unknown-and-mailbox-full.eml": [
        UNKNOWN_JANE,
        JOHN_MAILBOX_FULL,
    ],
    "local-lmtp-user-unknown-550-5.1.1-sent-as-delayed.eml": [
        Reading(
            "gone@local.example.org",
            "delayed",
            "5.1.1",
            "550",
            "mail.lmtp: LMTP server error: 550 5.1.1",
            "user_unknown",
            "none",
            "recipient",
        )
    ],
}


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_opensmtpd_fixture(name: str) -> None:
    assert_reads_as(readings((FIXTURES / name).read_bytes()), EXPECTED[name], name)


FAILURE_NOTICES = sorted(
    name
    for name in EXPECTED
    if b"Subject: Delivery status notification: failed" in (FIXTURES / name).read_bytes()
)


@pytest.mark.parametrize("name", FAILURE_NOTICES)
def test_opensmtpd_failure_notice_alone_reads_the_same(name: str) -> None:
    """Older smtpd sent the notice without a delivery-status part, and a relay
    may drop one: 6.x's "failed" notice must still be read by the OpenSMTPD
    module (its subject once said "error"), with the same readings."""
    prose_only = without_report_part((FIXTURES / name).read_bytes())
    assert b"message/delivery-status" not in prose_only
    assert parse_message(prose_only).format == "opensmtpd", name
    assert_reads_as(readings(prose_only), EXPECTED[name], name)


def test_original_message_id_is_the_newsletters() -> None:
    assert_returns_newsletters(EXPECTED, FIXTURES)
