"""PowerMTA's X-PowerMTA-BounceCategory read as a reason hint, never as a hard verdict by itself.

The dev corpus's PowerMTA report (lhost-powermta-02) is the real shape; its
category and reply are swapped for the cases below, so the field is read
where PowerMTA writes it (the recipient's delivery-status block).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounce_sink.classify.engine import classify_all
from bounce_sink.parse.pipeline import parse_bytes
from bounce_sink.parse.powermta_category import category_hint
from bounce_sink.parse.report import Report

SAMPLE = "lhost-powermta-02.eml"
REPLY = (
    b"554 delivery error: dd This user doesn't have a example.com account"
    b" (kijitora@example.com) [0] - mta1082.mail.bf1.example.com"
)
# A reply no wording rule knows, so the category is all there is.
VAGUE = b"554 rejected for reasons of its own"


def _variant(corpus_dir: Path, category: str, reply: bytes, status: str = "") -> Report:
    raw = (corpus_dir / SAMPLE).read_bytes()
    assert b"X-PowerMTA-BounceCategory: bad-mailbox" in raw and REPLY in raw
    raw = raw.replace(b"bad-mailbox", category.encode()).replace(REPLY, reply)
    if status:
        raw = raw.replace(b"Status: 5.0.0 (undefined status)", f"Status: {status}".encode())
    return parse_bytes(raw)


def test_the_sample_is_read_as_before(corpus_dir: Path) -> None:
    report = parse_bytes((corpus_dir / SAMPLE).read_bytes())
    (recipient,) = report.recipients
    # bad-mailbox beside 5.0.0 and no command: no hint; Yahoo's words decide.
    assert (recipient.reason_hint, recipient.hint_source) == ("", "")
    (c,) = classify_all(report)
    assert (c.reason, c.severity, c.rule) == ("user_unknown", "hard", "provider.yahoo.no_account")


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        ("quota-issues", "mailbox_full"),
        ("inactive-mailbox", "suspend"),
        ("message-expired", "expired"),
        ("no-answer-from-host", "network_error"),
        ("policy-related", "policy_violation"),
        ("routing-errors", "system_error"),
        ("spam-related", "spam_detected"),
        ("virus-related", "virus_detected"),
    ],
)
def test_a_soft_category_decides_when_no_wording_does(
    corpus_dir: Path, category: str, reason: str
) -> None:
    report = _variant(corpus_dir, category, VAGUE)
    (recipient,) = report.recipients
    assert (recipient.reason_hint, recipient.hint_source) == (reason, "powermta")
    (c,) = classify_all(report)
    assert (c.reason, c.severity, c.rule) == (reason, "soft", f"hint.powermta.{reason}")


def test_the_servers_words_come_before_the_category(corpus_dir: Path) -> None:
    report = _variant(corpus_dir, "policy-related", b"552 5.2.2 Mailbox full")
    (c,) = classify_all(report)
    assert (c.reason, c.rule) == ("mailbox_full", "text.mailbox_full.mailbox_full")


@pytest.mark.parametrize("category", ["bad-mailbox", "bad-domain"])
def test_a_hard_category_alone_makes_nothing_hard(corpus_dir: Path, category: str) -> None:
    report = _variant(corpus_dir, category, VAGUE)
    (recipient,) = report.recipients
    assert recipient.reason_hint == ""
    (c,) = classify_all(report)
    assert c.severity == "soft"


def test_bad_mailbox_beside_x11_is_user_unknown(corpus_dir: Path) -> None:
    report = _variant(corpus_dir, "bad-mailbox", VAGUE, status="5.1.1")
    (c,) = classify_all(report)
    assert (c.reason, c.severity, c.rule) == ("user_unknown", "hard", "hint.powermta.user_unknown")


@pytest.mark.parametrize(
    ("category", "status", "command", "hint"),
    [
        ("bad-mailbox", "5.0.0", "", ""),
        ("bad-mailbox", "5.0.0", "RCPT TO", "user_unknown"),
        ("bad-mailbox", "5.1.1", "", "user_unknown"),
        # x.1.10 names a bad destination address too (the classifier's
        # own test, parse/smtp_codes.py); x.1.0 does not.
        ("bad-mailbox", "5.1.10", "", "user_unknown"),
        ("bad-mailbox", "5.1.0", "", ""),
        ("bad-mailbox", "5.1.1", "DATA", "user_unknown"),
        ("bad-domain", "5.0.0", "RCPT", ""),
        ("bad-domain", "5.1.2", "", "host_unknown"),
        (" Quota-Issues ", "4.2.2", "", "mailbox_full"),
        ("other", "5.0.0", "", ""),
        ("relaying-issues", "5.7.1", "RCPT", ""),
        ("", "5.0.0", "", ""),
    ],
)
def test_category_hint(category: str, status: str, command: str, hint: str) -> None:
    assert category_hint(category, status, command) == hint


@pytest.mark.parametrize("status", ["5.1.0", "5.1.1", "5.1.2", "5.1.10", "5.1.6", "5.2.1", "5.0.0"])
def test_bad_mailbox_takes_the_classifiers_lookup_evidence(status: str) -> None:
    """Both readers answer "was the address looked up" from one definition."""
    from bounce_sink.classify.engine import _BAD_DESTINATION

    shows_lookup = status[1:] in _BAD_DESTINATION
    assert (category_hint("bad-mailbox", status, "") == "user_unknown") == shows_lookup
