"""fixtures/chasquid/: what a person reading each notice that a real chasquid 1.11 wrote would say.

The files come from tools/chasquid_lab/make_fixtures.py (Debian bookworm's
chasquid). The rows were written from the notice texts and DESIGN.md's
taxonomy, not from our output. What shapes them:

- chasquid writes an RFC 3464 report (``message/global-delivery-status``)
  whose Status is its own 5.0.0 for a refusal and 4.0.0 for what it gave up
  on after retrying; the Diagnostic-Code quotes the server's reply behind
  chasquid's stage words ("MAIL+RCPT 550 5.1.1 ...", "DATA closing 554 5.7.1
  ...", "all MXs returned transient failures (last: MAIL+RCPT 452 4.2.2
  ..."). A reader takes the server's codes from that reply: its reply code
  and its finer status;
- a message chasquid gave up on ("failed repeatedly and timed out") keeps the
  cause its last error names: a 452 "mailbox full" stays mailbox_full, soft;
  a domain whose lookup said "no such host" is host_unknown, but soft, since
  chasquid itself reports it with a 4.0.0 and no server refused anything; a
  host that refused every connection is network_error;
- a local user that the LMTP server behind chasquid does not have (Dovecot's
  "550 5.1.1 <x> User doesn't exist") reached the notice only after the
  retries (chasquid's mda-lmtp calls every refusal temporary), yet the server
  said 550 5.1.1: user_unknown, hard;
- both refused recipients of one message are in one notice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_readings import (
    BLOCKLISTED,
    DISABLED,
    GMAIL_NO_SUCH_USER,
    JOHN_MAILBOX_FULL,
    LOCAL_POLICY,
    MESSAGE_TOO_BIG,
    NO_SUCH_ACCOUNT,
    OVER_QUOTA,
    REJECTED_AS_SPAM,
    TRY_LATER_GAVE_UP,
    UNKNOWN_JANE,
    Reading,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
    without_report_part,
)

from bounce_sink.parse import parse_message
from bounce_sink.parse.smtp_codes import find_answered_reply_code

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "chasquid"

EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [NO_SUCH_ACCOUNT],
    # Gmail's reply over four lines; chasquid indents the later ones.
    "user-unknown-multiline-550-5.1.1.eml": [GMAIL_NO_SUCH_USER],
    "mailbox-full-552-5.2.2.eml": [OVER_QUOTA],
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocked-by-policy-550-5.7.1-at-rcpt.eml": [LOCAL_POLICY],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    "message-too-big-552-5.3.4-after-data.eml": [MESSAGE_TOO_BIG],
    "two-recipients-550-5.1.1-and-552-5.2.2.eml": [UNKNOWN_JANE, JOHN_MAILBOX_FULL],
    "gave-up-after-452-4.2.2-timed-out.eml": [TRY_LATER_GAVE_UP],
    "local-user-unknown-at-lmtp-550-5.1.1-timed-out.eml": [
        Reading(
            "gone@bounces.example.org",
            "failed",
            "5.1.1",
            "550",
            "550 5.1.1 <gone@bounces.example.org> User doesn't exist",
            "user_unknown",
            "hard",
            "recipient",
        )
    ],
    "domain-does-not-exist-no-such-host-timed-out.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "4.0.0",
            "",
            "lookup no-such-domain.example.com on 127.0.54.54:53: no such host",
            "host_unknown",
            "soft",
            "recipient",
        )
    ],
    # Nothing listened at the host's address until chasquid gave up: the path,
    # not the recipient, as far as the notice tells.
    "host-refuses-connections-timed-out.eml": [
        Reading(
            "someone@down.example.com",
            "failed",
            "4.0.0",
            "",
            "connect: connection refused",
            "network_error",
            "soft",
            "unknown",
        )
    ],
}


def test_every_fixture_has_a_row() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.eml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_as_a_person_would(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    assert parse_message(raw).format == "rfc3464", name
    assert_reads_as(readings(raw), EXPECTED[name], name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_without_its_report_part_reads_the_same(name: str) -> None:
    """Earlier chasquids sent the notice as text alone, and a relay may drop the
    report part: the prose ("Technical details", one paragraph per recipient)
    says as much, read by the chasquid format (failed before it: the generic
    reader gave both errors of the two-recipient notice to one address)."""
    raw = (FIXTURES / name).read_bytes()
    cut = without_report_part(raw)
    assert b"delivery-status" not in cut.split(b"\n\n", 1)[1], name
    assert parse_message(cut).format == "chasquid", name
    assert_reads_as(readings(cut), EXPECTED[name], name, collapse_spaces=True)


def test_each_notice_returns_its_newsletter() -> None:
    assert_returns_newsletters(EXPECTED, FIXTURES)


@pytest.mark.parametrize(
    ("diagnostic", "code"),
    [
        ("MAIL+RCPT 550 5.1.1 The email account that you tried to reach does not exist.", "550"),
        ("DATA closing 554 5.7.1 Message rejected as spam", "554"),
        ('Sent "RCPT TO:<a@example.org>", got 550 5.1.1 <a@example.org> User unknown', "550"),
        # No command before the pair: Sendmail's own summary of a local mailer.
        ("mail.local: unknown user: gone 554 5.3.0 <gone@example.net>... Service unavailable", ""),
        ("RCPT 550 4.1.1 classes differ", ""),
        ("MAIL 5550 5.1.1 inside a longer number", ""),
        ("rcpt 550 5.1.1 lower-case words are prose, not a command", ""),
    ],
)
def test_answered_reply_code(diagnostic: str, code: str) -> None:
    """A reply code counts only after the command it answers, paired with a status of its class."""
    assert find_answered_reply_code(diagnostic) == code
