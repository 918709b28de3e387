"""The flufl.bounce fallback must not flood the logs with its detectors' tracebacks."""

from __future__ import annotations

import email
import logging
from email import policy

import pytest

from bounce_sink.parse import fallback

# An 8-bit From header: compat32 hands flufl a Header object, on which one of its
# detectors calls str methods and raises (caught and logged by flufl itself).
EIGHT_BIT_FROM = (
    b"From: \xc3\xa9t\xc3\xa9 <mailer-daemon@example.com>\nSubject: failure\n\nx <a@example.com>\n"
)


def test_detector_exceptions_inside_flufl_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    message = email.message_from_bytes(EIGHT_BIT_FROM, policy=policy.compat32)
    assert isinstance(message.get("from"), email.header.Header)
    with caplog.at_level(logging.DEBUG):
        fallback.guess_recipients(message)
    assert [r for r in caplog.records if r.name.startswith("flufl")] == []
