"""MTA notices whose own words decide the reason, through parse and classify.

Each of these once came out wrong in a dangerous direction (a suspended au
subscriber unsubscribed, a missing mailbox kept) because the reason sat in
the MTA's notice or transcript rather than in the remote server's reply.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "parse"

# file -> [(address, reason, severity, rule)]
EXPECTED: dict[str, list[tuple[str, str, str, str]]] = {
    # au answers "user unknown" for a suspended line; its notice says so.
    "kddi/ezweb-account-disabled-above-user-unknown.eml": [
        ("subscriber@ezweb.ne.jp", "suspend", "soft", "hint.kddi.suspend"),
    ],
    # No reply from the next hop; InterScan's own verdict is about the address.
    "interscan/unable-to-deliver-check-address.eml": [
        ("former.staff@example.net", "user_unknown", "hard", "hint.interscanmss.user_unknown"),
    ],
    "interscan/session-rcpt-user-unknown.eml": [
        ("gone@example.net", "user_unknown", "hard", "text.user_unknown.sendmail_address_lookup"),
    ],
    "sendmail/local-mailer-unknown-user-in-transcript.eml": [
        ("gone@example.net", "user_unknown", "hard", "text.user_unknown.local_unknown_user"),
    ],
    "sendmail/v5-transcript-relay-refused-host-unknown-user-unknown.eml": [
        ("relayed@example.com", "blocked", "soft", "text.blocked.open_relay_listed"),
        ("nohost@example.net", "host_unknown", "hard", "text.host_unknown.unknown_host"),
        ("nobody@example.edu", "user_unknown", "hard", "text.user_unknown.sendmail_address_lookup"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notice_decides(name: str) -> None:
    report = parse_message((FIXTURES / name).read_bytes())
    got = []
    for r in report.recipients:
        c = classify_recipient(r, report)
        got.append((r.address, c.reason, c.severity, c.rule))
    assert got == EXPECTED[name]
