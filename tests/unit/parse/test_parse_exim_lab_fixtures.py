"""fixtures/exim/: what a person reading each bounce that a real Exim 4.96 wrote would say.

The files come from tools/exim_lab/make_fixtures.py (Debian bookworm's
exim4-daemon-light). The rows were written from the bounce texts and
DESIGN.md's taxonomy, not from our output. What shapes them:

- Exim's delivery-status part always says ``Status: 5.0.0`` for a failure
  (``4.0.0`` for a delay); the remote server's own code, quoted in the
  Diagnostic-Code and the prose, is the precise one, so it is the status a
  reader gives;
- a 4xx that Exim retried until its retry rule gave up ends as a failure whose
  text is the last reply plus "retry timeout exceeded": the cause is still the
  full mailbox, so the reason stays ``mailbox_full`` (soft). When the host never
  answered (connection refused) Exim writes only "retry timeout exceeded":
  ``expired``, neither side's fault as far as the bounce tells;
- "Unrouteable address" is Exim's text when no router takes the address: for
  a domain that does not resolve, and also for an unknown user of a domain
  Exim delivers itself. The bounce does not say which, so a reader takes
  Exim's words (no route to the address: ``host_unknown``); it is hard and on
  the recipient's side either way.

Every bounce also carries Exim's prose notice, which is all older Exim
versions (and some relays that drop the report part) send; the second test
reads each fixture with the delivery-status part cut out, through our Exim
format module, and expects the same readings. (Exim 4.96's delay warning says
"The address to which the message has not yet been delivered is:", which the
format did not know: that notice fell through to the generic reader.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_readings import (
    BLOCKLISTED,
    DISABLED,
    DOVECOT_QUOTA_EXCEEDED,
    DOVECOT_USER_DOESNT_EXIST,
    JOHN_OVER_LIMIT,
    MAILBOX_OVER_LIMIT,
    REJECTED_AS_SPAM,
    TRY_LATER_GAVE_UP,
    TRY_LATER_WARNING,
    UNKNOWN_IN_VIRTUAL_TABLE,
    USER_UNKNOWN,
    Reading,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
    without_report_part,
)

from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "exim"


EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [USER_UNKNOWN],
    "mailbox-full-552-5.2.2.eml": [MAILBOX_OVER_LIMIT],
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    # ann.fine@example.com was accepted, so the bounce names only the two refused.
    "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml": [
        UNKNOWN_IN_VIRTUAL_TABLE,
        JOHN_OVER_LIMIT,
    ],
    "unrouteable-domain-not-found.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "5.0.0",
            "",
            "Unrouteable address",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    "local-user-unknown-unrouteable.eml": [
        Reading(
            "nobody-here@mta.example.org",
            "failed",
            "5.0.0",
            "",
            "Unrouteable address",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    # Dovecot's refusals over LMTP ("LMTP error after DATA" in the prose); the
    # mailbox's fellow recipient was delivered, so only the full one is named.
    "lmtp-dovecot-user-doesnt-exist-550-5.1.1.eml": [DOVECOT_USER_DOESNT_EXIST],
    "lmtp-dovecot-quota-exceeded-552-5.2.2.eml": [DOVECOT_QUOTA_EXCEEDED],
    # A warning, not a failure: severity none, the reason of the quoted cause.
    "delayed-warning-452-4.2.2.eml": [TRY_LATER_WARNING],
    "retry-timeout-exceeded-after-452-4.2.2.eml": [TRY_LATER_GAVE_UP],
    "retry-timeout-exceeded-connection-refused.eml": [
        Reading(
            "reader@down.example.com",
            "failed",
            "5.0.0",
            "",
            "retry timeout exceeded",
            "expired",
            "soft",
            "unknown",
        )
    ],
}


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exim_fixture(name: str) -> None:
    assert_reads_as(
        readings((FIXTURES / name).read_bytes()), EXPECTED[name], name, collapse_spaces=True
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exim_prose_alone_reads_the_same(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    prose_only = without_report_part(raw)
    assert b"message/delivery-status" not in prose_only
    assert parse_message(prose_only).format == "exim", name
    assert_reads_as(readings(prose_only), EXPECTED[name], name, collapse_spaces=True)


def test_original_message_id_is_the_newsletters() -> None:
    assert_returns_newsletters(EXPECTED, FIXTURES)
