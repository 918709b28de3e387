"""The engine asks the first host's providers before it scans the text's words.

`decide_reason` tries the rules of the providers found by the host that
answered first, and only when none fires scans the text and asks the other
providers (other hosts, signatures, the recipient's domain) and the text
rules. That order must give what trying every provider of
`recognise.providers_to_try` in turn, each rule by its plain `matches`
(no gate), gives, over the evidence of every corpus and fixture message
(both MIME readers) and every rule example; and the scan must really be
skipped when a first-host rule decides.
"""

from __future__ import annotations

import pytest
import test_classify_shortcuts as shortcuts

from bounce_sink.classify import engine
from bounce_sink.classify.evidence import Evidence
from bounce_sink.classify.recognise import providers_to_try
from bounce_sink.classify.table import text_words_in
from bounce_sink.parse.report import RecipientStatus, Report

# Decided before any provider is asked.
_BEFORE_PROVIDERS = ("kind.arf", "kind.autoreply", "action.delivered", "status.2")


def _cases() -> list[tuple[Evidence, Report]]:
    found = [
        (Evidence.of(r, report), report)
        for _, _, report in shortcuts.REPORTS  # parsed once for the classify tests
        for r in report.recipients
    ]
    return found + [(ev, Report(kind="dsn")) for ev in shortcuts._example_evidence()]


CASES = _cases()


def _plain_provider_rule(ev: Evidence) -> tuple[str, str] | None:
    present = text_words_in(ev.text)
    for provider in providers_to_try(ev.hosts, ev.text, ev.domain, present):
        for rule in provider.rules:
            if rule.matches(ev.text, ev.status, ev.domain):
                return rule.reason, rule.name
    return None


def test_provider_rules_decide_as_trying_every_provider_in_turn() -> None:
    by_provider = 0
    for ev, report in CASES:
        got = engine.decide_reason(ev, report)
        if got[1] in _BEFORE_PROVIDERS:
            continue
        expected = _plain_provider_rule(ev)
        if expected is None:
            assert not got[1].startswith("provider."), ev
            continue
        by_provider += 1
        if got == ("filtered", "text.user_unknown.after_data"):
            assert expected[0] == "user_unknown", ev  # the engine's own correction
        else:
            assert got == expected, ev
    assert by_provider > 250


def test_a_first_host_rule_decides_without_scanning_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scanned: list[str] = []

    def counting_scan(text: str) -> frozenset[str]:
        scanned.append(text)
        return text_words_in(text)

    monkeypatch.setattr(engine, "text_words_in", counting_scan)
    recipient = RecipientStatus(
        address="someone@example.com",
        action="failed",
        status="5.1.1",
        diagnostic="550 5.1.1 The email account that you tried to reach does not exist. - gsmtp",
        remote_mta="gmail-smtp-in.l.google.com",
    )
    report = Report(kind="dsn")
    assert engine.decide_reason(Evidence.of(recipient, report), report) == (
        "user_unknown",
        "provider.google.no_such_user",
    )
    assert scanned == []
    # Without the host, Google is found by its signature: that takes the scan.
    unnamed = Evidence.of(_no_host(recipient), report)
    assert engine.decide_reason(unnamed, report)[1] == "provider.google.no_such_user"
    assert len(scanned) == 1


def _no_host(recipient: RecipientStatus) -> RecipientStatus:
    return RecipientStatus(
        address=recipient.address,
        action=recipient.action,
        status=recipient.status,
        diagnostic=recipient.diagnostic,
    )
