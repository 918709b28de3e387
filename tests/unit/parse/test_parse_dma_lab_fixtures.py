"""fixtures/dma/: what a person reading each bounce that a real dma 0.13 wrote would say.

The files come from tools/dma_lab/make_fixtures.py (Debian bookworm's dma,
the DragonFly Mail Agent). The rows were written from the bounce texts and
DESIGN.md's taxonomy, not from our output. What shapes them:

- dma's bounce is prose only, no delivery-status part: "There was an error
  delivering your mail to <address>.", then either the remote server's answer
  as it came ("<host> [<ip>] did not like our RCPT TO:" and the reply, every
  line of a multi-line one) or dma's own words. The reply's codes are the
  ones a reader gives;
- where dma writes only its own words there is no code at all, and a reader
  says what the bounce says: a failure (dma sent a bounce, it retries no
  more), nothing finer, so the generic 5.0.0 and no reply code. "DNS lookup
  failure: host <domain> not found" is dma's text for a domain whose MX
  lookup said NXDOMAIN: the domain does not exist (``host_unknown``, hard).
  "Could not deliver for the last 432000 seconds. Giving up." is dma giving
  up after five days of temporary failures; it does not repeat the last
  reply (here a 452 "mailbox full"), so all a reader can say is that time
  ran out: ``expired``, soft, neither side's fault as far as the bounce tells;
- dma delivers, and bounces, each recipient on its own: one message to three
  people, two of them refused, gives two bounces, each naming one address
  and returning the same original (whose To: lists all three).
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
    NO_SUCH_ACCOUNT,
    OVER_QUOTA,
    REFUSED_AT_GREETING,
    REJECTED_AS_SPAM,
    SENDER_REFUSED,
    UNKNOWN_JANE,
    Reading,
    as_it_came_over_smtp,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
)

from bounce_sink.parse import parse_message
from bounce_sink.parse.text_decoding import lf_line_ends

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "dma"
SECOND_OF_TWO = "two-recipients-bounce-for-mailbox-full-552-5.2.2.eml"

EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [NO_SUCH_ACCOUNT],
    # Gmail's reply over four lines; dma set to return the whole message.
    "user-unknown-multiline-550-5.1.1-full-bounce.eml": [GMAIL_NO_SUCH_USER],
    "mailbox-full-552-5.2.2.eml": [OVER_QUOTA],
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocked-by-policy-550-5.7.1-at-rcpt.eml": [LOCAL_POLICY],
    # Refused at the greeting (sendmail's words for a client it rejects): our
    # host was turned away before any address was named: blocked, not about
    # the recipient, and not "rejected" (that is the envelope sender refused).
    "refused-at-greeting-554-not-accepting-messages.eml": [
        REFUSED_AT_GREETING._replace(
            text="did not like our connect: 554 mx.example.com ESMTP not accepting messages"
        )
    ],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    # Our envelope sender refused at MAIL FROM: nothing about the recipient.
    "sender-rejected-553-5.7.1-at-mail-from.eml": [SENDER_REFUSED],
    "message-too-big-552-5.3.4-after-data.eml": [MESSAGE_TOO_BIG],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    "domain-does-not-exist-dns-lookup-failure.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "5.0.0",
            "",
            "DNS lookup failure: host no-such-domain.example.com not found",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    "gave-up-after-452-4.2.2-for-five-days.eml": [
        Reading(
            "try-later@example.com",
            "failed",
            "5.0.0",
            "",
            "Could not deliver for the last 432000 seconds. Giving up.",
            "expired",
            "soft",
            "unknown",
        )
    ],
    # One message to jane.unknown, john.full and ann.fine (accepted): two bounces.
    "two-recipients-bounce-for-user-unknown-550-5.1.1.eml": [UNKNOWN_JANE],
    SECOND_OF_TWO: [
        Reading(
            "john.full@example.com",
            "failed",
            "5.2.2",
            "552",
            "<john.full@example.com>: Mailbox full",
            "mailbox_full",
            "soft",
            "recipient",
        )
    ],
}


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dma_fixture(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    # Read by the module written for dma, not by a fallback that happens to agree.
    assert parse_message(raw).format == "dragonfly", name
    # dma writes a multi-line reply line by line: compared on single spaces.
    assert_reads_as(readings(raw), EXPECTED[name], name, collapse_spaces=True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dma_bounce_relayed_once_more_reads_the_same(name: str) -> None:
    """A bounce reaches the sink through a relay, whose Received line then comes first."""
    raw = (FIXTURES / name).read_bytes()
    head, rest = raw.split(b"\n", 1)
    assert head == b"Return-Path: <>"
    relayed = (
        head
        + b"\nReceived: from mta.example.org (mta.example.org [192.0.2.25])\n"
        + b"\tby mx.bounces.example.org (Postfix) with ESMTP id 4ABCDE;\n"
        + b"\tFri, 27 Nov 2026 01:52:01 +0000 (UTC)\n"
        + rest
    )
    assert parse_message(relayed).format == "dragonfly", name
    assert_reads_as(readings(relayed), EXPECTED[name], name, collapse_spaces=True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dma_bounce_as_it_came_over_smtp_reads_the_same(name: str) -> None:
    """The sink stores a bounce as it arrived: CRLF line ends, not the fixture's LF.

    dma copies a multi-line reply into its bounce with the server's CRLF
    still on each line and sends the bounce with CRLF line ends, so those
    lines arrive as CR CR LF (the fixture keeps them as CR LF). That is one
    line end: read as two, it made a blank line after each reply line and
    the diagnostic stopped after the first one.
    """
    raw = (FIXTURES / name).read_bytes()
    wire = as_it_came_over_smtp(raw)
    assert parse_message(wire).format == "dragonfly", name
    assert_reads_as(readings(wire), EXPECTED[name], name, collapse_spaces=True)


def test_multi_line_reply_arrives_with_cr_cr_lf() -> None:
    """What the test above reads: the multi-line reply's lines end in CR CR LF on the wire."""
    raw = (FIXTURES / "user-unknown-multiline-550-5.1.1-full-bounce.eml").read_bytes()
    assert b"Please try\r\n550-5.1.1 double-checking" in raw
    assert b"Please try\r\r\n550-5.1.1" in raw.replace(b"\n", b"\r\n")


def test_cr_cr_lf_is_one_line_end_and_a_bare_cr_still_one_each() -> None:
    assert lf_line_ends("try\r\r\n550-5.1.1 more\r\n") == "try\n550-5.1.1 more\n"
    assert lf_line_ends("a\r\n\r\nb") == "a\n\nb"  # a blank line stays one
    assert lf_line_ends("old\rmac\r\rtext") == "old\nmac\n\ntext"


def test_original_message_id_is_the_newsletters() -> None:
    single = {name: rows for name, rows in EXPECTED.items() if name != SECOND_OF_TWO}
    assert_returns_newsletters(single, FIXTURES)
    # Both bounces of the two-recipient message return that one message,
    # sent (and so identified) as the first recipient's copy.
    second = parse_message((FIXTURES / SECOND_OF_TWO).read_bytes())
    assert second.original_message_id == "<november-2026.jane.unknown@example.org>"
