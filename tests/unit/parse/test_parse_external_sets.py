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
# A set is a fixture directory with its project's labels beside the messages.
SETS = tuple(sorted(path.parent.name for path in FIXTURES.glob("*/expected.jsonl")))

# The reasons of ours that a set's own category allows. BounceParser files
# blocklists and policy refusals under "spam"; "user_unknown" words that no
# lookup backs are our `filtered` (soft, on purpose).
SOURCE_REASONS = {
    "user_unknown": {"user_unknown", "filtered"},
    "over_quota": {"mailbox_full"},
    "domain_error": {"host_unknown"},
    "message_too_large": {"mesg_too_big", "exceed_limit"},
    "user_disabled": {"suspend"},
    "spam": {
        "spam_detected",
        "blocked",
        "bad_reputation",
        "policy_violation",
        "content_error",
        "auth_failure",
        "virus_detected",
    },
}


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


def _mismatches(entry: dict[str, Any], report: Report) -> dict[str, Any]:
    """Each stated expectation we do not meet, with what we answer instead."""
    labelled = {a.lower() for a in entry.get("failed", []) + entry.get("delayed", [])}
    failed = [r for r in report.recipients if r.action == "failed"]
    verdicts = [classify_recipient(r, report) for r in failed]
    out: dict[str, Any] = {}
    # A bounce, as `parse --json` says it: a recipient failed (hard or soft), or a
    # warning that one is late; an auto-reply or a complaint is not.
    bounce = any(
        r.action == "delayed" or classify_recipient(r, report).severity in ("hard", "soft")
        for r in report.recipients
    )
    if "bounce" in entry and entry["bounce"] != bounce:
        out["bounce"] = bounce
    if "failed" in entry:
        got = sorted({_named(r, labelled) for r in failed})
        if got != sorted(a.lower() for a in entry["failed"]):
            out["failed"] = got
    temporary = {a.lower() for a in entry.get("delayed", [])}
    if entry.get("temporary"):
        temporary |= {r.address.lower() for r in report.recipients}
    hard = sorted(
        _named(r, labelled)
        for r, v in zip(failed, verdicts, strict=True)
        if _named(r, labelled) in temporary and v.severity == "hard"
    )
    if hard:
        # A warning that delivery is late, or a temporary failure, is never hard.
        out["hard"] = hard
    allowed = SOURCE_REASONS.get(entry.get("source_reason", ""))
    if allowed is not None:
        reasons = sorted({v.reason for v in verdicts})
        if not reasons or not set(reasons) <= allowed:
            out["reasons"] = reasons
    return out


@pytest.mark.parametrize(("name", "entry", "reviewed"), _samples())
def test_sample_reads_as_its_label_says(
    name: str, entry: dict[str, Any], reviewed: dict[str, Any] | None
) -> None:
    report = parse_message((FIXTURES / name / entry["file"]).read_bytes())
    assert not report.error, report.error
    got = _mismatches(entry, report)
    if reviewed is None:
        assert got == {}, entry["file"]
    else:
        # Still the answer we reviewed; a sample that now agrees leaves the list.
        assert got == reviewed["ours"], f"{entry['file']}: the reviewed answer changed"


def test_every_set_is_complete() -> None:
    """No message of a set goes untested, and no label names a missing file."""
    assert {"flufl-bounce", "bounceparser", "bounce-email-gem", "baunsu"} <= set(SETS)
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


def test_a_report_container_whose_status_part_names_nobody_is_read_by_our_own_reader() -> None:
    # A scanner kept only "Reporting-MTA:" in the status part and the bounce
    # has no From: the multipart/report container vouches for the prose.
    report = parse_message((FIXTURES / "flufl-bounce" / "simple_13.eml").read_bytes())
    assert report.format == "generic"
    assert [r.address for r in report.recipients] == ["userx@example.fr"]


def test_a_recipient_only_flufl_bounce_found_keeps_the_notice_text() -> None:
    report = parse_message((FIXTURES / "flufl-bounce" / "aol_01.eml").read_bytes())
    assert report.format == "flufl"
    [r] = report.recipients
    assert r.address == "screenname@aol.com"
    assert "not accepting mail from" in r.diagnostic
