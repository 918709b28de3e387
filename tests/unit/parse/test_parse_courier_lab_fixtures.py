"""fixtures/courier/: what a person reading each notice that a real Courier MTA 1.0.16 wrote would say.

The files come from tools/courier_lab/make_fixtures.py (Debian bookworm's
courier-mta). The rows were written from the notice texts and DESIGN.md's
taxonomy, not from our output. What shapes them:

- Courier's delivery-status part always says ``Status: 5.0.0`` for a failure
  (``4.0.0`` for a delay, ``2.0.0`` for success); the remote server's own
  code, quoted in the Diagnostic-Code and in the prose (``<<< 550 5.1.1 ...``),
  is the precise one, so it is the status a reader gives;
- where no remote server answered, Courier gives its own words under the
  diagnostic-type ``unknown`` (``Diagnostic-Code: unknown; No such domain.``):
  the type is not part of the text, as ``smtp;`` is not;
- its local delivery says ``550 User <name> unknown`` for a local part with
  no account: the wording of a mailbox lookup, so user_unknown, hard;
- a 4xx retried until ``queuetime`` ends as a failure that quotes the last
  reply and says nothing of the time: the cause is still the full mailbox
  (``mailbox_full``, soft, as for Exim's "retry timeout exceeded"). A host
  that refused connections the whole time ends quoting "Connection refused":
  ``network_error``, neither side's fault as far as the notice tells;
- delay warnings carry no Diagnostic-Code; the reply they quote stands in the
  prose, and a warning keeps the reason of its cause with severity ``none``;
- a success notice names the address Courier delivered to: for a local alias
  that is Courier's internal alias address in Final-Recipient, and the
  address we mailed in Original-Recipient (which the policy matches first).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lab_readings import (
    BLOCKLISTED,
    DISABLED,
    JOHN_MAILBOX_FULL,
    LOCAL_POLICY,
    OVER_QUOTA,
    REJECTED_AS_SPAM,
    TRY_LATER_GAVE_UP,
    TRY_LATER_WARNING,
    UNKNOWN_IN_VIRTUAL_TABLE,
    USER_UNKNOWN,
    Reading,
    assert_reads_as,
    assert_returns_newsletters,
    readings,
)

from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "courier"

DELIVERED_ALIAS = '".xalias/delivered@mta+2eexample+2eorg"@mta.example.org'

EXPECTED: dict[str, list[Reading]] = {
    "user-unknown-550-5.1.1.eml": [USER_UNKNOWN],
    "mailbox-full-552-5.2.2.eml": [OVER_QUOTA],
    "disabled-550-5.2.1.eml": [DISABLED],
    "blocklisted-client-554-5.7.1-at-rcpt.eml": [BLOCKLISTED],
    "blocked-by-policy-550-5.7.1.eml": [LOCAL_POLICY],
    "rejected-as-spam-after-data-554-5.7.1.eml": [REJECTED_AS_SPAM],
    # ann.fine@example.com was accepted, so the notice names only the two refused.
    "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml": [
        UNKNOWN_IN_VIRTUAL_TABLE,
        JOHN_MAILBOX_FULL,
    ],
    # NXDOMAIN from Courier's own resolver: its words, no server reply.
    "domain-not-found.eml": [
        Reading(
            "someone@no-such-domain.example.com",
            "failed",
            "5.0.0",
            "",
            "No such domain.",
            "host_unknown",
            "hard",
            "recipient",
        )
    ],
    "local-user-unknown.eml": [
        Reading(
            "nobody-here@mta.example.org",
            "failed",
            "5.0.0",
            "550",
            "550 User <nobody-here> unknown",
            "user_unknown",
            "hard",
            "recipient",
        )
    ],
    "delayed-warning-452-4.2.2.eml": [TRY_LATER_WARNING],
    "failed-after-queuetime-452-4.2.2.eml": [TRY_LATER_GAVE_UP],
    "connection-refused-delayed-warning.eml": [
        Reading(
            "reader@down.example.com",
            "delayed",
            "4.0.0",
            "",
            "Connection refused",
            "network_error",
            "none",
            "unknown",
        )
    ],
    "connection-refused-failed-after-queuetime.eml": [
        Reading(
            "reader@down.example.com",
            "failed",
            "5.0.0",
            "",
            "Connection refused",
            "network_error",
            "soft",
            "unknown",
        )
    ],
    # The receiving server offers no DSN, so Courier can only say it handed the message on.
    "relayed-success-notify-success.eml": [
        Reading(
            "relayed@example.com",
            "relayed",
            "2.0.0",
            "250",
            "250 2.0.0 Ok: queued",
            "delivered",
            "none",
            "none",
        )
    ],
    "delivered-success-local-notify-success.eml": [
        Reading(
            DELIVERED_ALIAS,
            "delivered",
            "2.0.0",
            "",
            "Message delivered.",
            "delivered",
            "none",
            "none",
        )
    ],
}


def test_every_fixture_has_a_row() -> None:
    assert set(EXPECTED) == {path.name for path in FIXTURES.glob("*.eml")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_courier_fixture(name: str) -> None:
    assert_reads_as(readings((FIXTURES / name).read_bytes()), EXPECTED[name], name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_diagnostic_type_is_not_part_of_the_text(name: str) -> None:
    """``unknown;`` (Courier's own words) is dropped like ``smtp;``: it is no one's text."""
    for recipient in parse_message((FIXTURES / name).read_bytes()).recipients:
        assert not recipient.diagnostic.lower().startswith(("unknown;", "smtp;")), name


def test_delivered_notice_keeps_the_address_we_mailed() -> None:
    report = parse_message((FIXTURES / "delivered-success-local-notify-success.eml").read_bytes())
    [recipient] = report.recipients
    assert recipient.original_recipient == "delivered@mta.example.org"


def test_original_message_id_is_the_newsletters() -> None:
    """Every notice returns the newsletter (or its headers), so it can be matched to the mailing."""
    rows = dict(EXPECTED)
    rows["delivered-success-local-notify-success.eml"] = [
        EXPECTED["delivered-success-local-notify-success.eml"][0]._replace(
            address="delivered@mta.example.org"
        )
    ]
    assert_returns_newsletters(rows, FIXTURES)
