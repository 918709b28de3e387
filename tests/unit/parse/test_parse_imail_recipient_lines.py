"""IMail's "reason: address" lines, and the header-like lines that share their shape.

Other notices with IMail's 'Undeliverable Mail' subject (MailMarshal's)
list the returned message's sender as "From: a@b" or "Original Sender:
<a@b>"; those are never a failed recipient.
"""

from __future__ import annotations

import pytest

from bounce_sink.parse.formats.imail import IMAIL
from bounce_sink.parse.formats.lazy_pattern import LazyPattern


def _recipient() -> LazyPattern:
    pattern = IMAIL.layout.recipient
    assert pattern is not None
    return pattern


@pytest.mark.parametrize(
    "line",
    [
        "Unknown user: a@example.com",
        "User mailbox exceeds allowed size: a@example.com",
        "Delivery failed 3 attempts: <a@example.com>",
    ],
)
def test_imail_reason_lines_name_their_recipient(line: str) -> None:
    m = _recipient().search(line)
    assert m is not None and "a@example.com" in m.group(0)


@pytest.mark.parametrize(
    "line",
    [
        "   From:    news@example.org",
        "Original Sender:    <news@example.org>",
        "Reporting-MTA:      <relay@example.org>",
        "To: news@example.org",
    ],
)
def test_header_like_lines_are_not_recipients(line: str) -> None:
    assert _recipient().search(line) is None
