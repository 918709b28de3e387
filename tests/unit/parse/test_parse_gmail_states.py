"""Gmail's "(state N)" names the SMTP command the other server refused."""

from __future__ import annotations

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message


def _gmail_notice(reply: str) -> bytes:
    return (
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "To: bounces@example.org\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "Content-Type: text/plain; charset=ISO-8859-1\n\n"
        "Delivery to the following recipient failed permanently:\n\n"
        "     someone@example.com\n\n"
        "Technical details of permanent failure:\n"
        "Google tried to deliver your message, but it was rejected by the recipient domain.\n"
        "We recommend contacting the other email provider for further information about the\n"
        f"cause of this error. The error that the other server returned was: {reply}\n\n"
        "----- Original message -----\n\nFrom: news@example.org\nTo: someone@example.com\n"
    ).encode()


@pytest.mark.parametrize(
    ("reply", "command", "reason", "severity"),
    [
        ("550 550 Unknown user someone@example.com (state 14).", "RCPT", "user_unknown", "hard"),
        # After DATA the same words come from a content filter: not hard.
        ("550 550 <someone@example.com> No such user here (state 17).", "DATA", "filtered", "soft"),
        ("550 550 Unknown user someone@example.com (state 18).", "DATA", "filtered", "soft"),
        ("500 Remote server does not support TLS (state 6).", "MAIL", "rejected", "soft"),
    ],
)
def test_state_names_the_command(reply: str, command: str, reason: str, severity: str) -> None:
    report = parse_message(_gmail_notice(reply))
    assert report.format == "gmail"
    (r,) = report.recipients
    assert r.smtp_command == command
    c = classify_recipient(r, report)
    assert (c.reason, c.severity) == (reason, severity)
