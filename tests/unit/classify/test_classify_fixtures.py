"""Whole DSNs, as Postfix sends them, through parse and classify.

The fixtures under fixtures/classify/ carry the provider texts and edge
cases the rule table is about; this checks the parser's output and the
rules meet as intended, not just the rules on hand-made evidence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "classify"

# file -> (action, reason, severity, code, rules that may have decided it)
EXPECTED: dict[str, tuple[str, str, str, str | None, set[str]]] = {
    "postfix-gmail-disabled-550-5.2.1.eml": (
        "failed",
        "suspend",
        "soft",
        "bounce_tr",
        {"provider.google.disabled"},
    ),
    "postfix-gmail-dmarc-550-5.7.26.eml": (
        "failed",
        "auth_failure",
        "soft",
        "bounce_tr",
        {"provider.google.dmarc"},
    ),
    "postfix-outlook-dbeb-550-5.4.1.eml": (
        "failed",
        "user_unknown",
        "hard",
        "bounce_hb",
        {"provider.microsoft.access_denied_dbeb"},
    ),
    "postfix-spamhaus-blocked-554-5.7.1.eml": (
        "failed",
        "blocked",
        "soft",
        "bounce_tr",
        {"text.blocked.blocked_using"},
    ),
    # The DATA-phase refusal is named in Postfix's prose only; either way
    # the words are not enough for a hard bounce.
    "postfix-user-unknown-after-data-550-5.2.1.eml": (
        "failed",
        "filtered",
        "soft",
        "bounce_tr",
        {"text.user_unknown.after_data", "text.user_unknown.not_at_rcpt"},
    ),
    "postfix-yahoo-tss04-421-delayed.eml": (
        "delayed",
        "bad_reputation",
        "none",
        None,
        {"provider.yahoo.unexpected_volume"},
    ),
}


def test_every_fixture_has_an_expectation() -> None:
    assert {p.name for p in FIXTURES.glob("*.eml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_classifies_as_expected(name: str) -> None:
    report = parse_message((FIXTURES / name).read_bytes())
    assert report.kind == "dsn"
    assert len(report.recipients) == 1
    recipient = report.recipients[0]
    action, reason, severity, code, rules = EXPECTED[name]
    c = classify_recipient(recipient, report)
    assert recipient.action == action
    assert (c.reason, c.severity, c.code) == (reason, severity, code)
    assert c.rule in rules
