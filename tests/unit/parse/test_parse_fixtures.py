"""One table of expectations over the fixture files, one row per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "parse"


# file -> (kind, format, [(address, action, status, reply_code, text in diagnostic)])
EXPECTED: dict[str, tuple[str, str, list[tuple[str, str, str, str, str]]]] = {
    "postfix/user-unknown-550-rfc3464.eml": (
        "dsn",
        "rfc3464",
        [("nobody@example.com", "failed", "5.0.0", "550", "550 No such recipient")],
    ),
    "postfix/two-recipients-mailbox-full-and-disabled.eml": (
        "dsn",
        "rfc3464",
        [
            ("full@example.com", "failed", "5.2.2", "552", "Mailbox has exceeded the limit"),
            (
                "disabled@example.com",
                "failed",
                "5.2.1",
                "550",
                "550 5.2.1 The email account that you tried to reach is disabled. p28si19674740ybk.52",
            ),
        ],
    ),
    "postfix/prose-only-host-said.eml": (
        "dsn",
        "postfix",
        [("nobody@example.com", "failed", "5.1.1", "550", "User unknown in local recipient table")],
    ),
    "exim/two-addresses-failed.eml": (
        "dsn",
        "exim",
        [
            ("one@example.com", "failed", "5.1.1", "550", "User Unknown"),
            ("two@example.com", "failed", "5.2.2", "552", "Mailbox Full"),
        ],
    ),
    "exim/dsn-generated-from-alias-unrouteable.eml": (
        "dsn",
        "rfc3464",
        [("alias@example.com", "failed", "5.0.0", "", "Unrouteable address")],
    ),
    "exchange2007/recipnotfound-ndr-text.eml": (
        "dsn",
        "exchange2007",
        [("nobody@example.com", "failed", "5.1.1", "550", "RESOLVER.ADR.RecipNotFound")],
    ),
    "domino/not-listed-in-directory.eml": (
        "dsn",
        "domino",
        [("nobody@example.com", "failed", "5.0.0", "", "not listed in Domino Directory")],
    ),
    "qmail/no-mailbox-here.eml": (
        "dsn",
        "qmail",
        [
            ("nobody@example.com", "failed", "5.1.1", "", "Sorry, no mailbox here by that name."),
            ("remote@example.net", "failed", "5.2.2", "550", "Remote host said: 550 5.2.2"),
        ],
    ),
    "gmail/permanent-failure-quoted-550.eml": (
        "dsn",
        "gmail",
        [("nobody@example.com", "failed", "5.1.1", "550", "User Unknown")],
    ),
    "amazonses/bounce-json-notification.eml": (
        "dsn",
        "amazonses",
        [("nobody@example.com", "failed", "5.1.1", "550", "550 5.1.1 user unknown")],
    ),
    "arf/abuse-complaint.eml": ("arf", "arf", [("complainer@example.net", "", "", "", "")]),
    "autoreply/out-of-office-rfc3834.eml": (
        "autoreply",
        "rfc3834",
        [("alice@example.com", "", "", "", "")],
    ),
    "autoreply/german-abwesenheitsnotiz-8bit.eml": (
        "autoreply",
        "rfc3834",
        [("bernd@example.com", "", "", "", "")],
    ),
    "rfc6533/global-dsn-utf8-recipient.eml": (
        "dsn",
        "rfc3464",
        [("jösé@example.com", "failed", "5.1.1", "550", "<jösé@example.com>: mailbox unavailable")],
    ),
    "kddi/mailbox-full-iso-2022-jp.eml": (
        "dsn",
        "kddi",
        [("full@ezweb.ne.jp", "failed", "5.0.0", "", "As their mailbox is full.")],
    ),
    "sendmail/empty-diagnostic-transcript.eml": (
        "dsn",
        "rfc3464",
        [
            (
                "later@example.com",
                "failed",
                "4.4.7",
                "421",
                "<<< 421 <later@example.com>... Deferred",
            )
        ],
    ),
    "verizon/invalid-user-sms-gateway.eml": (
        "dsn",
        "verizon",
        [("5555550100@vtext.com", "failed", "5.0.0", "550", "no such user here")],
    ),
    "googlegroups/group-may-not-exist.eml": (
        "dsn",
        "googlegroups",
        [("somegroup@example.com", "failed", "5.0.0", "", "group you tried to contact")],
    ),
    "fml/loop-alert-duplicated-message-id.eml": (
        "dsn",
        "fml",
        [("news@example.org", "failed", "5.0.0", "", "Duplicated Message-ID")],
    ),
    "sendmail/v5-transcript-relay-refused-host-unknown-user-unknown.eml": (
        "dsn",
        "v5sendmail",
        [
            ("relayed@example.com", "failed", "5.0.0", "501", "which is an open relay"),
            ("nohost@example.net", "failed", "5.0.0", "554", "550 Host unknown"),
            (
                "nobody@example.edu",
                "failed",
                "5.0.0",
                "550",
                "<nobody@example.edu>... User unknown",
            ),
        ],
    ),
    "sendmail/local-mailer-unknown-user-in-transcript.eml": (
        "dsn",
        "rfc3464",
        [("gone@example.net", "failed", "5.3.0", "", "mail.local: unknown user: gone 554 5.3.0")],
    ),
    "kddi/ezweb-account-disabled-above-user-unknown.eml": (
        "dsn",
        "rfc3464",
        [("subscriber@ezweb.ne.jp", "failed", "5.0.0", "550", "550 user unknown")],
    ),
    "interscan/unable-to-deliver-check-address.eml": (
        "dsn",
        "interscanmss",
        [("former.staff@example.net", "failed", "5.0.0", "", "Please check if address is correct")],
    ),
    "interscan/session-rcpt-user-unknown.eml": (
        "dsn",
        "interscanmss",
        [
            (
                "gone@example.net",
                "failed",
                "5.1.1",
                "550",
                "550 5.1.1 <gone@example.net>... User unknown",
            )
        ],
    ),
    "not-bounce/ordinary-mail.eml": ("unknown", "", []),
    "apachejames/no-such-user-bounce.eml": (
        "dsn",
        "apachejames",
        [("nobody@example.net", "failed", "5.0.0", "550", "no such user here")],
    ),
}


def test_every_fixture_has_a_row() -> None:
    files = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.eml")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(name: str) -> None:
    kind, fmt, rows = EXPECTED[name]
    report = parse_message((FIXTURES / name).read_bytes())
    assert report.error == ""
    assert (report.kind, report.format) == (kind, fmt)
    got = [(r.address, r.action, r.status, r.reply_code) for r in report.recipients]
    assert got == [row[:4] for row in rows]
    for r, row in zip(report.recipients, rows, strict=True):
        assert row[4] in r.diagnostic


def test_returned_original_headers_are_kept() -> None:
    report = parse_message((FIXTURES / "postfix/user-unknown-550-rfc3464.eml").read_bytes())
    assert report.original_message_id == "<newsletter-2024-05.1234@example.org>"
    assert report.original_headers["x-mailing-id"] == "2024-05-newsletter"
    assert report.original_headers["list-id"] == "<news.example.org>"
    assert report.reporting_mta == "mx1.example.org"
    assert report.arrival_date is not None and report.arrival_date.hour == 10


def test_arf_feedback_type() -> None:
    report = parse_message((FIXTURES / "arf/abuse-complaint.eml").read_bytes())
    assert report.feedback_type == "abuse"
    assert not report.is_bounce


def test_crlf_and_cr_line_ends_parse_the_same() -> None:
    raw = (FIXTURES / "postfix/two-recipients-mailbox-full-and-disabled.eml").read_bytes()
    want = [(r.address, r.status, r.diagnostic) for r in parse_message(raw).recipients]
    for ending in (b"\r\n", b"\r"):
        got = parse_message(raw.replace(b"\n", ending)).recipients
        assert [(r.address, r.status, r.diagnostic) for r in got] == want


def test_new_address_of_a_moved_recipient() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        b"Final-Recipient: rfc822; old@example.com\nAction: failed\nStatus: 5.1.6\n"
        b"Diagnostic-Code: smtp; 551 5.1.6 User not local; please try <new@example.net>\n\n--b--\n"
    )
    (r,) = parse_message(raw).recipients
    assert r.new_address == "new@example.net"
    assert (r.status, r.reply_code) == ("5.1.6", "551")


def test_generic_reader_skips_a_helpdesk_address() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: Delivery failure\nTo: bounces@example.org\n\n"
        b"Your message could not be delivered.\n\n"
        b"If you need assistance, please contact helpdesk@example.org.\n\n"
        b"  user@example.com: 550 5.1.1 no such user\n"
    )
    report = parse_message(raw)
    assert report.format == "generic"
    assert [(r.address, r.status, r.reply_code) for r in report.recipients] == [
        ("user@example.com", "5.1.1", "550")
    ]


def test_a_person_writing_about_a_rejection_is_not_a_bounce() -> None:
    raw = (
        b"From: Carol <carol@example.com>\nTo: news@example.org\n"
        b"Subject: Re: your comment was rejected\n\n"
        b"Hi, my colleague dave@example.net says the user unknown thing is fixed.\n"
    )
    report = parse_message(raw)
    assert (report.kind, report.recipients) == ("unknown", [])


def test_feedback_report_fields_in_plain_text() -> None:
    raw = (
        b"From: fbl@example.net\nTo: abuse@example.org\nSubject: complaint\n\n"
        b"Feedback-Type: abuse\nUser-Agent: FBL/1.0\nVersion: 1\n"
        b"Original-Rcpt-To: <carol@example.com>\n"
    )
    report = parse_message(raw)
    assert (report.kind, report.feedback_type) == ("arf", "abuse")
    assert [r.address for r in report.recipients] == ["carol@example.com"]


def test_delivery_status_outside_multipart_report() -> None:
    raw = (
        b"From: postmaster@mx.example.org\nSubject: Undeliverable: hello\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="m"\n\n'
        b"--m\nContent-Type: text/plain\n\nDelivery has failed.\n\n"
        b"--m\nContent-Type: message/delivery-status\n\n"
        b"Reporting-MTA: dns; mx.example.org\nArrival-Date: Wed, 15 May 2024 08:59:00 +0000\n"
        b"Original-Envelope-Id: env-42\n\n"
        b"Action: failed\nStatus: 5.2.2\nFinal-Recipient: rfc822; full@example.com\n"
        b"Diagnostic-Code: smtp; 552 5.2.2 mailbox full\n\n--m--\n"
    )
    report = parse_message(raw)
    assert (report.kind, report.format, report.envelope_id) == ("dsn", "rfc3464", "env-42")
    assert [(r.address, r.status, r.reply_code) for r in report.recipients] == [
        ("full@example.com", "5.2.2", "552")
    ]


def test_generic_reader_without_codes_is_heuristic() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.org\nSubject: Delivery failure\nTo: bounces@example.org\n\n"
        b"Your message could not be delivered to the following recipient:\n\n"
        b"  user@example.com\n    This user does not exist here.\n"
    )
    (r,) = parse_message(raw).recipients
    assert (r.address, r.heuristic) == ("user@example.com", True)
