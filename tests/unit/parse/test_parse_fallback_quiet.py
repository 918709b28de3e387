"""The flufl.bounce fallback must not flood the logs with its detectors' tracebacks."""

from __future__ import annotations

import email
import logging
import subprocess
import sys
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


def test_flufl_logger_is_critical_once_the_fallback_ran() -> None:
    fallback.guess_recipients(email.message_from_bytes(EIGHT_BIT_FROM, policy=policy.compat32))
    assert logging.getLogger("flufl.bounce").level == logging.CRITICAL


def test_a_message_no_fallback_reads_imports_neither_flufl_nor_logging() -> None:
    """The fallback (and with it logging, ~4-5 ms) is imported only for a
    message that reaches flufl; a plain message that does not look like a
    bounce never does."""
    code = (
        "import sys\n"
        "from bounce_sink.parse.pipeline import parse_bytes\n"
        "r = parse_bytes(b'From: a@example.com\\nSubject: hello\\n\\nhi\\n')\n"
        "assert r.kind == 'unknown', r\n"
        "print(sorted(m for m in ('logging', 'flufl.bounce', 'bounce_sink.parse.fallback')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
