"""fixtures/sendmail/: what a person reading each bounce that a real Sendmail 8.17 wrote would say.

The files come from tools/sendmail_lab/make_fixtures.py (Debian bookworm's
sendmail-bin 8.17.1.9). The rows were written from the bounce texts and
DESIGN.md's taxonomy, not from our output. What shapes them:

- Sendmail's ``Status`` field is its own mapping of the remote reply, often
  vaguer (``5.0.0`` for a 554) and sometimes wrong: it calls every 550 a
  5.1.1 "User unknown", also ``550 5.2.1 ... account ... is disabled``, and
  every 552 a full mailbox (5.2.2), also ``552 5.3.4`` message too big. The
  remote server's own code, quoted in the Diagnostic-Code and the
  transcript, is the precise one, so it is the status a reader gives; the
  disabled account stays ``suspend`` (soft), never a hard user_unknown;
- a 4xx that Sendmail retried until its queue return time passed ends as
  ``Action: failed``, ``Status: 4.4.7`` ("Message could not be delivered for
  8 seconds") quoting the last reply: the cause is still the full mailbox
  (``mailbox_full``, soft), as in the Exim lab's table. When the host refused
  every connection, the transcript says "Deferred: Connection refused by
  [host]": the sending MTA could not connect, a ``network_error`` on the way
  (neither side's fault as far as the bounce tells), in the warning and in
  the give-up alike (our rules read "connection refused by" as a block of
  our sending host, which this lab showed wrong);
- a recipient server without DSN gets no NOTIFY=SUCCESS, so Sendmail itself
  answers it with a "Return receipt", ``Action: relayed``: ``delivered``.

The ``plain-text-*`` fixtures are the same cases from a Sendmail with
SendMimeErrors off (as older Sendmails and some sites send them): no report
part, the original pasted below "----- Original message follows -----".
Their rows are the report's rows as the prose alone tells them (no status
where only the report part had one). Each report, its report part cut out,
must read the same way too; that also covers the receipt, which a Sendmail
without MIME errors cannot be asked for. (The plain notices' returned
original was not found: the inline-original reader stopped at Sendmail's
opening line "The original message was received at ...".)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_readings import (
    BLOCKLISTED,
    DISABLED,
    JOHN_OVER_LIMIT,
    MAILBOX_OVER_LIMIT,
    MESSAGE_TOO_BIG,
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

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "sendmail"


EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [USER_UNKNOWN],
    "mailbox-full-552-5.2.2.eml": [MAILBOX_OVER_LIMIT],
    # Sendmail's Status says 5.1.1; the server said 5.2.1, account disabled.
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    # Sendmail's Status says 5.2.2 (its code for any 552); the server said 5.3.4:
    # our message was too big, not the mailbox full.
    "message-too-big-after-data-552-5.3.4.eml": [
        MESSAGE_TOO_BIG._replace(text="Message size exceeds fixed limit")
    ],
    # ann.fine@example.com was accepted, so the bounce names only the two refused.
    "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml": [
        UNKNOWN_IN_VIRTUAL_TABLE,
        JOHN_OVER_LIMIT,
    ],
    # The domain has no DNS entry (NXDOMAIN): Sendmail's own 550 5.1.2 Host unknown.
    "host-unknown-domain-not-found-5.1.2.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "5.1.2",
            "550",
            "Host unknown",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    # No such user on Sendmail's own host (its local mailer, X-Unix).
    "local-user-unknown-550-5.1.1.eml": [
        Reading(
            "nobody-here@mta.example.org",
            "failed",
            "5.1.1",
            "550",
            "User unknown",
            "user_unknown",
            "hard",
            "recipient",
        )
    ],
    # A warning, not a failure: severity none, the reason of the quoted cause.
    "delayed-warning-452-4.2.2.eml": [TRY_LATER_WARNING],
    "expired-after-452-4.2.2.eml": [TRY_LATER_GAVE_UP],
    "delayed-warning-connection-refused.eml": [
        Reading(
            "reader@down.example.com",
            "delayed",
            "4.4.1",
            "",
            "Connection refused by [127.0.0.2]",
            "network_error",
            "none",
            "unknown",
        )
    ],
    "expired-connection-refused.eml": [
        Reading(
            "reader@down.example.com",
            "failed",
            "4.4.7",
            "",
            "Connection refused by [127.0.0.2]",
            "network_error",
            "soft",
            "unknown",
        )
    ],
    "relayed-receipt-notify-success.eml": [
        Reading(
            "happy-reader@example.com",
            "relayed",
            "2.0.0",
            "250",
            "250 2.1.5 Ok",
            "delivered",
            "none",
            "none",
        )
    ],
}


# What only the report part stated: the prose gives a status's class alone,
# and the receipt's note instead of the server's 250.
_PROSE_FIELDS: dict[str, dict[str, str]] = {
    "delayed-warning-connection-refused.eml": {"status": "4.0.0"},
    "expired-connection-refused.eml": {"status": "5.0.0"},
    "relayed-receipt-notify-success.eml": {
        "reply_code": "",
        "text": "(relayed to non-DSN-aware mailer)",
    },
}


def _from_prose(name: str) -> list[Reading]:
    """The rows of a notice as its prose and transcript alone tell them."""
    fields = _PROSE_FIELDS.get(name, {})
    return [row._replace(**fields) for row in EXPECTED[name]]


# The notices that carry a report part (multipart/report).
REPORTS = sorted(EXPECTED)
# The plain-text notices (SendMimeErrors off) of the same cases: what they say
# is what the report's prose says.
EXPECTED.update(
    {
        f"plain-text-{name}": _from_prose(name)
        for name in REPORTS
        if name != "relayed-receipt-notify-success.eml"  # such a Sendmail offers no DSN
    }
)


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sendmail_fixture(name: str) -> None:
    assert_reads_as(readings((FIXTURES / name).read_bytes()), EXPECTED[name], name)


@pytest.mark.parametrize("name", REPORTS)
def test_sendmail_notice_without_its_report_part_reads_the_same(name: str) -> None:
    """Sendmail sends the same notice as plain text where SendMimeErrors is off,
    older ones always did, and relays may drop the report part: the prose and
    the transcript alone must give the same readings. (Sendmail 8 sums up a
    552 or 554 to RCPT as "554 5.0.0 Service unavailable", without the
    address: the transcript reader took no recipient from it, so the second
    of two refused recipients went missing; and the return receipt was read
    by the generic reader as a failure.)"""
    prose_only = without_report_part((FIXTURES / name).read_bytes())
    assert b"message/delivery-status" not in prose_only
    assert_reads_as(readings(prose_only), _from_prose(name), name)


def test_original_message_id_is_the_newsletters() -> None:
    assert_returns_newsletters(EXPECTED, FIXTURES)
