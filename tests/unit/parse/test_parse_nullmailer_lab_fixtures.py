"""fixtures/nullmailer/: what a person reading each bounce that a real nullmailer 2.2 wrote would say.

The files come from tools/nullmailer_lab/make_fixtures.py (Debian
bookworm's nullmailer, a relay-only MTA: every message goes to its
smarthost). The rows were written from the bounce texts and DESIGN.md's
taxonomy, not from our output. What shapes them:

- nullmailer's bounce is an RFC 3464 report written by nullmailer-dsn: one
  block per recipient with the status it found in the smarthost's reply
  (the first x.y.z in it, else 5.0.0) and ``Diagnostic-Code: SMTP;`` then
  that reply as it came. The reply's codes are the ones a reader gives;
- a multi-line reply keeps its line breaks inside Diagnostic-Code, the later
  lines not folded: they are still the reply (Gmail's four lines);
- nullmailer gives a message to several recipients up whole at the first
  refused RCPT, and lists every recipient with that one reply. The reply
  names the address it refused: for the others the bounce says only that
  the message was not delivered, nothing about them (``undefined``, soft,
  side unknown), never the refused address's user unknown;
- it writes a report only when it gives a message up, but one given up
  after a 4xx (its queuelifetime ran out) is written as a delay ("has not
  been delivered", ``Action: delayed``, the 4.2.2 of the last reply). A
  reader goes by what the report says: a delay warning, severity none;
- when it cannot reach its smarthost (a name that does not resolve, a port
  where nothing listens) it gives up after queuelifetime with its own words,
  "Connect failed", and no code: a connection failure on the way
  (``network_error``), nothing about the recipient;
- a bare local name is qualified with the mailname and relayed like any
  address: the smarthost's refusal of it is an ordinary user unknown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_readings import (
    BLOCKLISTED,
    DISABLED,
    GMAIL_NO_SUCH_USER,
    LOCAL_POLICY,
    MESSAGE_TOO_BIG,
    OVER_QUOTA,
    REFUSED_AT_GREETING,
    REJECTED_AS_SPAM,
    SENDER_REFUSED,
    TRY_LATER_WARNING,
    UNKNOWN_JANE,
    USER_UNKNOWN,
    Reading,
    as_it_came_over_smtp,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
)

from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "nullmailer"
TWO_RECIPIENTS = "two-recipients-refused-whole-at-first-rcpt-550-5.1.1.eml"


def _not_about_them(address: str) -> Reading:
    """A recipient listed with another recipient's refusal: not delivered, for no reason of its own."""
    return Reading(
        address,
        "failed",
        "5.1.1",
        "550",
        "<jane.unknown@example.com>: Recipient address rejected: User unknown",
        "undefined",
        "soft",
        "unknown",
    )


def _connect_failed(address: str) -> Reading:
    return Reading(
        address, "failed", "5.0.0", "", "Connect failed", "network_error", "soft", "unknown"
    )


EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [USER_UNKNOWN],
    # Gmail's reply over four lines, its line breaks kept in Diagnostic-Code.
    "user-unknown-multiline-550-5.1.1.eml": [
        GMAIL_NO_SUCH_USER._replace(
            text="double-checking the recipient's email address for typos or unnecessary spaces"
        )
    ],
    "mailbox-full-552-5.2.2.eml": [OVER_QUOTA],
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocked-by-policy-550-5.7.1-at-rcpt.eml": [LOCAL_POLICY],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    "message-too-big-552-5.3.4-after-data.eml": [MESSAGE_TOO_BIG],
    # "nobody-here" given to sendmail, relayed as nobody-here@<mailname>.
    "local-name-qualified-and-refused-550-5.1.1.eml": [
        Reading(
            "nobody-here@mta.example.org",
            "failed",
            "5.1.1",
            "550",
            "Recipient address rejected: User unknown in local recipient table",
            "user_unknown",
            "hard",
            "recipient",
        )
    ],
    # jane.unknown refused; john.full (whose own reply would have been "mailbox
    # full") and ann.fine (accepted) were never asked about.
    TWO_RECIPIENTS: [
        UNKNOWN_JANE,
        _not_about_them("john.full@example.com"),
        _not_about_them("ann.fine@example.com"),
    ],
    # Our envelope sender refused at MAIL FROM: nothing about the recipient.
    "sender-rejected-553-5.7.1-at-mail-from.eml": [SENDER_REFUSED],
    # Given up, but written as a delay: read as the report says.
    "gave-up-after-queuelifetime-452-4.2.2-reported-as-delayed.eml": [TRY_LATER_WARNING],
    "smarthost-name-not-found-connect-failed-after-queuelifetime.eml": [
        _connect_failed("reader-one@example.com")
    ],
    "smarthost-connection-refused-connect-failed-after-queuelifetime.eml": [
        _connect_failed("reader-two@example.com")
    ],
    # Sendmail's greeting to a client it rejects ("<host> ESMTP not accepting
    # messages"): our host turned away before any address was named.
    "smarthost-refused-at-greeting-554-not-accepting-messages.eml": [REFUSED_AT_GREETING],
}


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nullmailer_fixture(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    assert parse_message(raw).format == "rfc3464", name
    # A multi-line reply is read line by line: compared on single spaces.
    assert_reads_as(readings(raw), EXPECTED[name], name, collapse_spaces=True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nullmailer_bounce_as_it_came_over_smtp_reads_the_same(name: str) -> None:
    """The sink stores a bounce as it arrived: CRLF line ends, not the fixture's LF."""
    raw = (FIXTURES / name).read_bytes()
    wire = as_it_came_over_smtp(raw)
    assert parse_message(wire).format == "rfc3464", name
    assert_reads_as(readings(wire), EXPECTED[name], name, collapse_spaces=True)


def test_the_multi_line_reply_is_unfolded_in_the_fixture() -> None:
    """What the multi-line row reads: the reply's later lines start at the line's start."""
    raw = (FIXTURES / "user-unknown-multiline-550-5.1.1.eml").read_bytes()
    assert b"Please try\n550-5.1.1 double-checking" in raw


def test_original_message_id_is_the_newsletters() -> None:
    assert_returns_newsletters(EXPECTED, FIXTURES)
    # The two-recipient bounce returns the message sent as jane.unknown's copy.
    report = parse_message((FIXTURES / TWO_RECIPIENTS).read_bytes())
    assert report.original_message_id == "<november-2026.jane.unknown@example.org>"
