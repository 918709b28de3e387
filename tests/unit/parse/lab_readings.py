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

import re
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
# server (tools/mta_lab/receiver_replies.py) when an MTA passes the
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
# Gmail's four-line reply: MTAs copy its later lines each their own way (with the
# code prefix, indented, unfolded), so the piece is one every copy keeps whole.
GMAIL_NO_SUCH_USER = _refused(
    "gmail-style-unknown@example.com",
    "5.1.1",
    "550",
    "double-checking the recipient's email address for typos",
    "user_unknown",
    "recipient",
)
# Too big for the receiving server (552 5.3.4 after DATA): what we sent, not the reader.
MESSAGE_TOO_BIG = _refused(
    "small-mailbox@example.com",
    "5.3.4",
    "552",
    "Message size exceeds fixed maximum message size",
    "mesg_too_big",
    "sender",
)
# Our envelope sender refused at MAIL FROM (553 5.7.1): nothing about the recipient.
SENDER_REFUSED = _refused(
    "sender-refused@example.com",
    "5.7.1",
    "553",
    "Sender address rejected: Access denied",
    "rejected",
    "sender",
)
# sendmail's greeting to a client it rejects: our host turned away before any
# address was named; the relaying MTA, given no status, reports 5.0.0.
REFUSED_AT_GREETING = _refused(
    "behind-closed-door@example.com",
    "5.0.0",
    "554",
    "554 mx.example.com ESMTP not accepting messages",
    "blocked",
    "sender",
)
# A real Dovecot behind the MTA, over LMTP (tools/mta_lab/dovecot_lmtp.py): the
# mail store's own words. It refuses an unknown user at RCPT, and a full
# mailbox after DATA, for that recipient alone.
DOVECOT_USER_DOESNT_EXIST = _refused(
    "gone@imap.example.net",
    "5.1.1",
    "550",
    "User doesn't exist: gone@imap.example.net",
    "user_unknown",
    "recipient",
)
DOVECOT_QUOTA_EXCEEDED = _refused(
    "full@imap.example.net",
    "5.2.2",
    "552",
    "Quota exceeded (mailbox for user is full)",
    "mailbox_full",
    "recipient",
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


def as_it_came_over_smtp(raw: bytes) -> bytes:
    """A fixture as the sink stores the bounce it was: as it arrived over SMTP, with
    CRLF line ends and without the mailbox's Return-Path line."""
    return raw.split(b"\n", 1)[1].replace(b"\n", b"\r\n")


# A notice's delivery-status part (RFC 3464, or RFC 6533's global one), from its
# boundary line up to the next one.
_REPORT_PART = re.compile(
    rb"\n--[^\n]+\n(?:[^\n]+\n)*?Content-[Tt]ype: message/(?:global-)?delivery-status\n"
    rb".*?(?=\n--[^\n]+\n)",
    re.DOTALL,
)


def without_report_part(raw: bytes) -> bytes:
    """The notice with its delivery-status part cut out: as an MTA's older versions,
    or one set up without it, sent it, or a relay that drops the part passes it on.
    The prose left must then tell the same."""
    return _REPORT_PART.sub(b"", raw)
