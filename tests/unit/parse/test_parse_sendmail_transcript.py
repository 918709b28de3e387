"""Sendmail's session transcript, split per recipient, and what the formats take from it."""

from __future__ import annotations

from pathlib import Path

from bounce_sink.parse import parse_message
from bounce_sink.parse.sendmail_transcript import entry_for, transcript_entries

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "parse"

PIPELINED = """\
   ----- Transcript of session follows -----
... while talking to mx.example.com.:
>>> DATA
<<< 550 5.1.1 <one@example.com>... User unknown
550 5.1.1 <one@example.com>... User unknown
<<< 503 5.0.0 Need RCPT (recipient)

   ----- Original message follows -----
"""


def test_pipelined_data_is_not_taken_for_the_refused_command() -> None:
    (entry,) = transcript_entries(PIPELINED)
    assert entry.address == "one@example.com"
    assert entry.remote_reply == "550 5.1.1 <one@example.com>... User unknown"
    assert entry.command == ""  # ">>> DATA" was sent, but RCPT was what failed
    assert entry.remote_host == "mx.example.com"


def test_rcpt_counts_only_when_it_names_the_recipient() -> None:
    text = (
        "----- Transcript of session follows -----\n"
        "... while talking to mx.example.com.:\n"
        ">>> RCPT To:<other@example.com>\n"
        "<<< 550 5.1.1 <one@example.com>... User unknown\n"
        "550 5.1.1 <one@example.com>... User unknown\n"
        ">>> RCPT To:<two@example.com>\n"
        "<<< 550 5.1.1 <two@example.com>... User unknown\n"
        "550 5.1.1 <two@example.com>... User unknown\n"
    )
    one, two = transcript_entries(text)
    assert (one.command, two.command) == ("", "RCPT")
    assert two.remote_host == "mx.example.com"


def test_local_mailer_output_comes_before_the_summary() -> None:
    text = (
        "   ----- Transcript of session follows -----\n"
        "mail.local: unknown user: gone\n"
        "554 5.3.0 <gone@example.net>... Service unavailable\n"
        "\n"
        "Reporting-MTA: dns; mx2.example.net\n"
    )
    entries = transcript_entries(text)
    entry = entry_for(entries, ["Gone@Example.NET"])
    assert entry is not None
    assert entry.diagnostic == (
        "mail.local: unknown user: gone 554 5.3.0 <gone@example.net>... Service unavailable"
    )
    assert entry.remote_host == "" and entry.command == ""


def test_no_transcript_no_entries() -> None:
    assert transcript_entries("550 5.1.1 <a@example.com>... User unknown\n") == ()


def test_v5_sendmail_commands_and_hosts_per_recipient() -> None:
    raw = FIXTURES / "sendmail/v5-transcript-relay-refused-host-unknown-user-unknown.eml"
    report = parse_message(raw.read_bytes())
    got = [(r.address, r.smtp_command, r.remote_mta) for r in report.recipients]
    assert got == [
        ("relayed@example.com", "MAIL", "mailin1.example.com"),
        # Sendmail's own DNS answer: no remote host spoke for this one.
        ("nohost@example.net", "", ""),
        ("nobody@example.edu", "RCPT", "smtp.example.edu"),
    ]


def test_ezweb_notice_sentence_is_passed_on_as_a_hint() -> None:
    raw = (FIXTURES / "kddi/ezweb-account-disabled-above-user-unknown.eml").read_bytes()
    (r,) = parse_message(raw).recipients
    assert r.reason_hint == "suspend"


def test_end_of_data_refusal_keeps_only_the_failing_reply() -> None:
    text = (
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.example.com.:\n"
        ">>> DATA\n"
        '<<< 354 Enter mail, end with "." on a line by itself\n'
        ">>> .\n"
        "<<< 554 5.7.1 Message rejected as spam\n"
        "554 5.0.0 <one@example.com>... Service unavailable\n"
    )
    (entry,) = transcript_entries(text)
    assert entry.remote_reply == "554 5.7.1 Message rejected as spam"
    assert entry.command == ""
