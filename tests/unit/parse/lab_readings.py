"""What a person reading an MTA lab's bounce would say, and the check of ours against it.

Shared by the tables of the MTA labs' fixtures (fixtures/exim/, opensmtpd/,
sendmail/, courier/, dma/, chasquid/, nullmailer/, haraka/:
test_parse_<mta>_lab_fixtures.py): each row is written from the bounce text and DESIGN.md's taxonomy, and the
parser and classifier must give it.  The rows for the scripted receiver's
standard refusals, alike in every MTA that passes the server's reply on, are
written once here; the integration tests (tests/integration/lab_regeneration.py)
compare fresh bounces through the same reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message


class Reading(NamedTuple):
    """One recipient as the bounce tells it, and the verdict the taxonomy gives it."""

    address: str
    action: str
    status: str
    reply_code: str
    text: str  # a piece of the diagnostic
    reason: str
    severity: str
    side: str


def _refused(address: str, status: str, code: str, text: str, reason: str, side: str) -> Reading:
    severity = "hard" if reason == "user_unknown" else "soft"
    return Reading(address, "failed", status, code, text, reason, severity, side)


# What a reader says of each standard refusal of the labs' scripted receiving
# server (tools/postfix_lab/receiver_replies.py) when an MTA passes the
# server's reply on: the server's own code, and the verdict its words give.
# A table uses one of these only where its MTA reports exactly this; where an
# MTA says something else (its own status, its own words), the table writes
# the row out.
USER_UNKNOWN = _refused(
    "no-such-user@example.com",
    "5.1.1",
    "550",
    "Recipient address rejected: User unknown",
    "user_unknown",
    "recipient",
)
NO_SUCH_ACCOUNT = _refused(
    "no-such-user@example.com",
    "5.1.1",
    "550",
    "The email account that you tried to reach does not exist",
    "user_unknown",
    "recipient",
)
MAILBOX_OVER_LIMIT = _refused(
    "full-mailbox@example.com",
    "5.2.2",
    "552",
    "Mailbox has exceeded the limit",
    "mailbox_full",
    "recipient",
)
OVER_QUOTA = _refused(
    "full-mailbox@example.com",
    "5.2.2",
    "552",
    "The email account that you tried to reach is over quota",
    "mailbox_full",
    "recipient",
)
DISABLED = _refused(
    "disabled-account@example.com",
    "5.2.1",
    "550",
    "The email account that you tried to reach is disabled",
    "suspend",
    "recipient",
)
# Our sending host on a DNS blocklist: the sender's problem, never the reader's.
BLOCKLISTED = _refused(
    "blocked-sender@example.com",
    "5.7.1",
    "554",
    "blocked using zen.spamhaus.org",
    "blocked",
    "sender",
)
LOCAL_POLICY = _refused(
    "policy-blocked@example.com",
    "5.7.1",
    "550",
    "Message rejected due to local policy",
    "policy_violation",
    "sender",
)
REJECTED_AS_SPAM = _refused(
    "content-filtered@example.com",
    "5.7.1",
    "554",
    "Message rejected as spam",
    "spam_detected",
    "sender",
)
# The two refused recipients of the message to jane.unknown, john.full and ann.fine.
UNKNOWN_IN_VIRTUAL_TABLE = _refused(
    "jane.unknown@example.com",
    "5.1.1",
    "550",
    "User unknown in virtual mailbox table",
    "user_unknown",
    "recipient",
)
UNKNOWN_JANE = _refused(
    "jane.unknown@example.com",
    "5.1.1",
    "550",
    "Recipient address rejected: User unknown",
    "user_unknown",
    "recipient",
)
JOHN_OVER_LIMIT = MAILBOX_OVER_LIMIT._replace(address="john.full@example.com")
JOHN_MAILBOX_FULL = _refused(
    "john.full@example.com", "5.2.2", "552", "552 5.2.2 Mailbox full", "mailbox_full", "recipient"
)
# 452 4.2.2: a delay warning (severity none), and the failure when the MTA gave up:
# the cause is still the full mailbox.
TRY_LATER_WARNING = Reading(
    "try-later@example.com",
    "delayed",
    "4.2.2",
    "452",
    "452 4.2.2 Mailbox full, please try again later",
    "mailbox_full",
    "none",
    "recipient",
)
TRY_LATER_GAVE_UP = TRY_LATER_WARNING._replace(action="failed", severity="soft")


def readings(raw: bytes) -> list[Reading]:
    """Our reading of a bounce, recipients sorted: both MTAs list them in an
    order of their own (Exim's prose against its report part, smtpd's random
    envelope ids)."""
    report = parse_message(raw)
    assert report.kind == "dsn"
    got = []
    for recipient in report.recipients:
        verdict = classify_recipient(recipient, report)
        got.append(
            Reading(
                recipient.address,
                recipient.action,
                recipient.status,
                recipient.reply_code,
                recipient.diagnostic,
                verdict.reason,
                verdict.severity,
                verdict.side,
            )
        )
    return sorted(got)


def assert_reads_as(
    got: list[Reading], expected: list[Reading], name: str, *, collapse_spaces: bool = False
) -> None:
    """`got` is `expected`, the diagnostic holding the expected piece of text
    (`collapse_spaces`: compared on single spaces, where the MTA wraps it)."""
    expected = sorted(expected)
    assert [g.address for g in got] == [e.address for e in expected], name
    for seen, wanted in zip(got, expected, strict=True):
        text = " ".join(seen.text.split()) if collapse_spaces else seen.text
        assert wanted.text in text, name
        assert seen._replace(text=wanted.text) == wanted, name


def assert_returns_newsletters(expected: dict[str, list[Reading]], fixtures: Path) -> None:
    """Each bounce returns the message (or its headers) it is about, so it can be matched."""
    for name, rows in expected.items():
        report = parse_message((fixtures / name).read_bytes())
        local = rows[0].address.split("@", 1)[0]
        assert report.original_message_id == f"<november-2026.{local}@example.org>", name
