"""A report's recipients classified together get what each gets alone.

`engine.classify_all` decides once per distinct evidence within a report
(a DSN listing many addresses at one domain with one diagnostic). Compared
with `classify` of each recipient for every corpus and fixture report (both
MIME readers) and for a report of many recipients, where the decision must
also be taken only once per distinct evidence.
"""

from __future__ import annotations

import pytest
import test_classify_shortcuts as shortcuts

from bounce_sink.classify import engine
from bounce_sink.parse.cli_output import report_to_json
from bounce_sink.parse.report import RecipientStatus, Report


def test_every_corpus_and_fixture_report_as_recipient_by_recipient() -> None:
    several = 0
    for path, _, report in shortcuts.REPORTS:  # parsed once for the classify tests
        expected = [engine.classify(r, report) for r in report.recipients]
        assert engine.classify_all(report) == expected, path
        several += len(report.recipients) > 1
    assert several > 20


def _many(count: int) -> Report:
    recipients = [
        RecipientStatus(
            address=f"user{n}@{'example.com' if n % 3 else 'gmail.com'}",
            action="failed",
            status="5.1.1",
            diagnostic="550 5.1.1 <someone>... User unknown" if n % 2 else "552 mailbox full",
        )
        for n in range(count)
    ]
    return Report(kind="dsn", recipients=recipients)


def test_a_report_of_many_recipients_is_decided_once_per_distinct_evidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _many(30)
    expected = [engine.classify(r, report) for r in report.recipients]
    decided: list[object] = []
    plain = engine.decide_reason

    def counting(ev: object, rep: Report) -> tuple[str, str]:
        decided.append(ev)
        return plain(ev, rep)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "decide_reason", counting)
    assert engine.classify_all(report) == expected
    assert len(decided) == 4  # two diagnostics at two domains
    line = report_to_json("x.eml", report)
    assert [r["rule"] for r in line["recipients"]] == [c.rule for c in expected]
