"""Exchange 2003's MSEXCH codes name the reason the notice's prose does not.

The notice below is Exchange 2003's own layout (Internet Mail Service,
"did not reach the following recipient(s):", the address " on <date>", the
indented reason and MSEXCH line); only the code line changes per case.
"""

from __future__ import annotations

import pytest

from bounce_sink.parse.pipeline import parse_bytes

_EXCHANGE2003 = """\
From: postmaster@example.com
To: sender@example.org
Subject: Undeliverable: monthly news
Date: Thu, 29 Apr 2010 16:51:56 -0500
MIME-Version: 1.0
X-Mailer: Internet Mail Service (5.5.2657.72)
Content-Type: text/plain; charset="iso-8859-1"

Your message

  To:      someone@example.com
  Subject: monthly news
  Sent:    Thu, 29 Apr 2010 16:51:29 -0500

did not reach the following recipient(s):

someone@example.com on Thu, 29 Apr 2010 16:51:51 -0500
    The message could not be delivered
    The MTS-ID of the original message is: c=us;a= ;p=example
;l=EXCHANGE000000000000000000
    MSEXCH:IMS:EXAMPLE:SITE:EXCHANGE 0 ({code}) {words}
"""


@pytest.mark.parametrize(
    ("code", "words", "hint"),
    [
        ("000C05A6", "Unknown Recipient", "user_unknown"),
        ("000C0595", "Ambiguous Recipient", "filtered"),
        ("00010256", "Too many recipients.", "system_error"),
        ("000D06B5", "No proxy for recipient (non-smtp mail?)", "system_error"),
        ("00120270", "Too Many Hops", "network_error"),
        ("00050311", "Conversion to Internet format failed", "content_error"),
        ("000502CC", "Conversion to Internet format failed", "content_error"),
        ("000B0981", "502 Server does not support AUTH", "security_error"),
        # Only "the remote MTA said": its text decides, the code names nothing.
        ("000B09B6", "Error messages by remote MTA", ""),
    ],
)
def test_msexch_code_gives_its_reason_hint(code: str, words: str, hint: str) -> None:
    report = parse_bytes(_EXCHANGE2003.format(code=code, words=words).encode())
    assert report.format == "exchange2003"
    assert [(r.address, r.reason_hint) for r in report.recipients] == [
        ("someone@example.com", hint)
    ]
