"""Real bounces labelled by other projects, read as their labels say.

Every rule of ours was tuned on the Sisimai corpus and our MTA labs; these
sets are bounces collected by other tools' authors (see each set's
SOURCE.md), with the failed and the delayed addresses their tests state. They
show whether what we read generalises. A sample where we deliberately answer
otherwise is listed, with why, in the set's reviewed.jsonl; its test fails
if the disagreement ends, so the list stays true.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message
from bounce_sink.parse.report import RecipientStatus, Report

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
SETS = ("flufl-bounce",)


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _samples() -> list[Any]:
    out = []
    for name in SETS:
        reviewed = {e["file"]: e for e in _lines(FIXTURES / name / "reviewed.jsonl")}
        for entry in _lines(FIXTURES / name / "expected.jsonl"):
            out.append(
                pytest.param(name, entry, reviewed.get(entry["file"]), id=f"{name}/{entry['file']}")
            )
    return out


def _named(r: RecipientStatus, labelled: set[str]) -> str:
    """The address a label would use: the original recipient when the label names it
    (an X.400 or rewritten final recipient), else the reported one."""
    if r.original_recipient and r.original_recipient.lower() in labelled:
        return r.original_recipient.lower()
    return r.address.lower()


def _failed(report: Report, labelled: set[str]) -> list[str]:
    return sorted({_named(r, labelled) for r in report.recipients if r.action == "failed"})


@pytest.mark.parametrize(("name", "entry", "reviewed"), _samples())
def test_sample_reads_as_its_label_says(
    name: str, entry: dict[str, Any], reviewed: dict[str, Any] | None
) -> None:
    report = parse_message((FIXTURES / name / entry["file"]).read_bytes())
    assert not report.error, report.error
    want = sorted(a.lower() for a in entry["failed"])
    delayed = {a.lower() for a in entry["delayed"]}
    got = _failed(report, set(want) | delayed)
    if reviewed is not None:
        assert got == sorted(reviewed["ours"]), f"{entry['file']}: the reviewed answer changed"
        assert got != want, f"{entry['file']}: now agrees with the label; drop it from reviewed"
    else:
        assert got == want, entry["file"]
    for r in report.recipients:
        verdict = classify_recipient(r, report)
        if _named(r, delayed) in delayed:
            # A warning that delivery is late never counts as a failure.
            assert r.action != "failed", (entry["file"], r.address)
            assert verdict.severity != "hard", (entry["file"], r.address)


def test_every_set_is_complete() -> None:
    """No message of a set goes untested, and no label names a missing file."""
    for name in SETS:
        files = {p.name for p in (FIXTURES / name).glob("*.eml")}
        labelled = {e["file"] for e in _lines(FIXTURES / name / "expected.jsonl")}
        assert files == labelled, name
        reviewed = {e["file"] for e in _lines(FIXTURES / name / "reviewed.jsonl")}
        assert reviewed <= labelled, name


@pytest.mark.parametrize(
    ("file", "address"),
    [("dsn_02.eml", "zzzzz@example.uk"), ("dsn_09.eml", "userx@example.com")],
)
def test_an_x400_final_recipient_reports_the_address_we_mailed(file: str, address: str) -> None:
    report = parse_message((FIXTURES / "flufl-bounce" / file).read_bytes())
    assert [r.address for r in report.recipients] == [address]
    assert report.recipients[0].final_recipient.startswith("/")


def test_a_report_attached_whole_to_a_scanner_notice_is_the_bounce() -> None:
    # InterScan wrapped the Exchange DSN (Status 5.1.1) under a disclaimer.
    report = parse_message((FIXTURES / "flufl-bounce" / "dsn_15.eml").read_bytes())
    assert report.format == "rfc3464-attached"
    [r] = report.recipients
    assert (r.address, r.action, r.status) == ("userx@example.com", "failed", "5.1.1")
    assert classify_recipient(r, report).severity == "hard"
    # The message that bounced is the one the attached report returns.
    assert report.original_message_id == "<mailman.4360.1149475419.1567.gpc-talk@grizz.org>"


def test_a_last_resort_recipient_keeps_the_notice_text_and_is_never_hard() -> None:
    report = parse_message((FIXTURES / "flufl-bounce" / "simple_43.eml").read_bytes())
    assert report.format == "last-hop"
    [r] = report.recipients
    assert r.address == "some.name.16565@some.domain" and r.heuristic
    assert "not a valid user of the system" in r.diagnostic
    assert classify_recipient(r, report).severity != "hard"
