"""fixtures/haraka/: what a person reading each bounce that a real Haraka 3.3 wrote would say.

The files come from tools/haraka_lab/make_fixtures.py (Haraka 3.3.4 from
npm, relaying for a newsletter tool on loopback). The rows were written from
the bounce texts and DESIGN.md's taxonomy, not from our output. What shapes
them:

- Haraka's bounce is a multipart/report: its ``outbound.bounce_message``
  prose ("This is a permanent error; I've given up.", "Failure Reason: ..."),
  the same in HTML with an icon, a delivery-status part and the original's
  headers. Where a server refused, its reply is the Diagnostic-Code, and the
  reply's codes are the ones a reader gives;
- where no server answered, Haraka writes only its own words and its own
  Status, with a made-up 550 in a comment: "5.1.2 (550 Nowhere to deliver
  mail to for domain: ...)" after an MX lookup said NXDOMAIN (the domain
  does not exist: ``host_unknown``, hard), and the same 5.1.2 with "Tried
  all MXs <domain>" when it could not connect to any of the domain's
  servers and its retries ran out ("Too many failures (Tried all MXs)"). That
  5.1.2 is Haraka's code for any failed MX, not a lookup's answer: the words
  say the servers could not be reached (``network_error``, soft), never that
  the address is bad. No server replied, so there is no reply code;
- a 4xx retried until Haraka gave up: Haraka turns the status's 4 into a 5
  (Status: 5.2.2) but keeps the server's "452 4.2.2 ..." as the diagnostic,
  whose codes a reader gives, as for every other lab's give-up;
- one message to three people, two refused: Haraka splits the refused
  recipients into a message of their own before bouncing it, and the split
  loses what it knew of each (Haraka 3.3's queue file keeps only the
  addresses). The bounce names both, with bare Final-Recipient lines (no
  Action, no Status) and the prose "Some recipients failed: <a>, <b>": a
  failure ("I've given up"), nothing finer: the generic 5.0.0, no reply
  code, and no reason a reader could name (``on_hold``);
- a Haraka whose config directory is as ``haraka -i`` left it has no bounce
  templates: its bounce has no From, To or Subject and an empty text part,
  and its delivery-status part still says everything.
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
    REJECTED_AS_SPAM,
    SENDER_REFUSED,
    TRY_LATER_GAVE_UP,
    USER_UNKNOWN,
    Reading,
    as_it_came_over_smtp,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
)

from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "haraka"
WITHOUT_TEMPLATE = "without-bounce-template-user-unknown-550-5.1.1.eml"
SOME_RECIPIENTS_FAILED = (
    "Some recipients failed: <jane.unknown@example.com>, <john.full@example.com>"
)

EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [USER_UNKNOWN],
    # Gmail's reply over four lines: Haraka joins the lines' text with spaces.
    "user-unknown-multiline-550-5.1.1.eml": [
        GMAIL_NO_SUCH_USER._replace(
            text="Please try double-checking the recipient's email address for typos"
        )
    ],
    "mailbox-full-552-5.2.2.eml": [OVER_QUOTA],
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    "blocked-by-policy-550-5.7.1-at-rcpt.eml": [LOCAL_POLICY],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    "message-too-big-552-5.3.4-after-data.eml": [MESSAGE_TOO_BIG],
    # Our envelope sender refused at MAIL FROM: nothing about the recipient.
    "sender-rejected-553-5.7.1-at-mail-from.eml": [
        SENDER_REFUSED._replace(address="sender-refused@strict.example.com")
    ],
    # Sent to jane.unknown, john.full and ann.fine (accepted).
    "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml": [
        Reading(
            address,
            "failed",
            "5.0.0",
            "",
            SOME_RECIPIENTS_FAILED,
            "on_hold",
            "soft",
            "unknown",
        )
        for address in ("jane.unknown@example.com", "john.full@example.com")
    ],
    "domain-does-not-exist-nowhere-to-deliver.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "5.1.2",
            "",
            "Nowhere to deliver mail to for domain: no-such-domain.example.com",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    # Haraka's 5.1.2 for servers it could not reach: a network failure, soft.
    "connection-refused-gave-up-after-retry.eml": [
        Reading(
            "reader@down.example.com",
            "failed",
            "5.1.2",
            "",
            "Too many failures (Tried all MXs)",
            "network_error",
            "soft",
            "unknown",
        )
    ],
    "gave-up-after-452-4.2.2-retry.eml": [TRY_LATER_GAVE_UP],
    # The local mail store (Dovecot's LMTP wording) does not know the user.
    "local-user-unknown-lmtp-550-5.1.1.eml": [
        Reading(
            "nobody-here@mta.example.org",
            "failed",
            "5.1.1",
            "550",
            "User doesn't exist: nobody-here@mta.example.org",
            "user_unknown",
            "hard",
            "recipient",
        )
    ],
    WITHOUT_TEMPLATE: [
        USER_UNKNOWN._replace(
            address="no-such-user.bare@example.com",
            text="<no-such-user.bare@example.com>: Recipient address rejected: User unknown",
        )
    ],
}


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_haraka_fixture(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    # A standard report: read by the RFC 3464 reader, not a fallback.
    assert parse_message(raw).format == "rfc3464", name
    assert_reads_as(readings(raw), EXPECTED[name], name, collapse_spaces=True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_haraka_bounce_as_it_came_over_smtp_reads_the_same(name: str) -> None:
    """The sink stores a bounce as it arrived: CRLF line ends, not the fixture's LF."""
    raw = (FIXTURES / name).read_bytes()
    wire = as_it_came_over_smtp(raw)
    assert_reads_as(readings(wire), EXPECTED[name], name, collapse_spaces=True)


def test_without_template_the_bounce_has_no_from_subject_or_text() -> None:
    """What the row above is read from: only the delivery-status part says anything."""
    raw = (FIXTURES / WITHOUT_TEMPLATE).read_bytes()
    head = raw.split(b"\n\n", 1)[0]
    for name in (b"From:", b"To:", b"Subject:"):
        assert b"\n" + name not in head
    assert b"Content-Type: text/plain; charset=us-ascii\n\n\n--" in raw


def test_original_message_id_is_the_newsletters() -> None:
    assert_returns_newsletters(EXPECTED, FIXTURES)
