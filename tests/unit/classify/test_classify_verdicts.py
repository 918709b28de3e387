"""The shared verdicts are the Classification the engine would build.

`engine.verdict` hands out one frozen Classification per (reason, severity,
rule). A key that left out what side or code depend on would hand one
recipient another's verdict; compared here with building it, for every
reason and severity, and for every corpus and fixture recipient.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import get_args

from bounce_sink.classify import engine
from bounce_sink.classify.evidence import Evidence
from bounce_sink.classify.taxonomy import (
    ALL_REASONS,
    Classification,
    Severity,
    code_of,
    severity_of,
    side_of,
)
from bounce_sink.parse import parse_message

REPO = Path(__file__).resolve().parents[3]
CORPUS = Path(
    os.environ.get("BOUNCE_SINK_CORPUS", REPO.parent / "shared" / "corpus" / "sisimai-dev")
)


def _built(reason: str, severity: Severity, rule: str) -> Classification:
    return Classification(reason, side_of(reason), severity, code_of(reason, severity), rule)


def test_every_reason_and_severity_in_either_order() -> None:
    keys = [(r, s) for r in sorted(ALL_REASONS) for s in get_args(Severity)]
    for order in (keys, keys[::-1]):
        engine._VERDICTS.clear()
        for reason, severity in order:
            for rule in ("text.a", "text.b"):
                assert engine.verdict(reason, severity, rule) == _built(reason, severity, rule)


def test_past_the_bound_verdicts_are_still_built() -> None:
    engine._VERDICTS.clear()
    for n in range(engine._MAX_VERDICTS + 10):
        assert engine.verdict("on_hold", "soft", f"rule.{n}") == _built(
            "on_hold", "soft", f"rule.{n}"
        )
    assert len(engine._VERDICTS) == engine._MAX_VERDICTS
    engine._VERDICTS.clear()


def test_corpus_and_fixture_recipients() -> None:
    paths = sorted(CORPUS.glob("*.eml")) + sorted((REPO / "fixtures").rglob("*.eml"))
    assert len(paths) > 250
    seen = 0
    for path in paths:
        report = parse_message(path.read_bytes())
        for recipient in report.recipients:
            ev = Evidence.of(recipient, report)
            reason, rule = engine.decide_reason(ev, report)
            severity = severity_of(reason, ev.action, ev.status, ev.reply_code, ev.heuristic)
            assert engine.classify(recipient, report) == _built(reason, severity, rule)
            seen += 1
    assert seen > 250
