"""The qmail-based notices of Yahoo and others are read as qmail's by their sentence.

"Unable to deliver message to the following address(es)." over "<addr>:"
lines is what every such notice of ours writes; the registry chose the
qmail-like reader by the Subject "Delivery failure". Without it the
catch-all read the same text as unvouched prose: every recipient heuristic,
so Yahoo's "This user doesn't have a yahoo.com account" read soft.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse.pipeline import parse_bytes

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"

_SUBJECT = re.compile(rb"(?im)^Subject:[^\n]*\n(?:[ \t][^\n]*\n)*")


def _readings(raw: bytes) -> tuple[str, list[tuple[str, str, str]]]:
    report = parse_bytes(raw)
    found: list[tuple[str, str, str]] = []
    for r in report.recipients:
        verdict = classify_recipient(r, report)
        found.append((r.address, verdict.reason, verdict.severity))
    return report.format, found


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "flufl-bounce" / "yahoo_10.eml",
        FIXTURES / "flufl-bounce" / "yahoo_04.eml",
        CORPUS / "lhost-x2-02.eml",
    ],
    ids=lambda p: p.name,
)
def test_read_the_same_without_the_subject(path: Path) -> None:
    raw = path.read_bytes()
    head, sep, body = raw.partition(b"\n\n")
    fmt, expected = _readings(raw)
    assert fmt == "qmail-like" and expected
    assert _readings(_SUBJECT.sub(b"", head, count=1) + sep + body) == (fmt, expected)


def test_yahoos_no_account_is_hard_without_the_subject() -> None:
    raw = (FIXTURES / "flufl-bounce" / "yahoo_10.eml").read_bytes()
    head, sep, body = raw.partition(b"\n\n")
    _, found = _readings(_SUBJECT.sub(b"", head, count=1) + sep + body)
    assert ("userx@example.com", "user_unknown", "hard") in found
