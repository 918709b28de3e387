"""Domino's notice is Domino's by its own sentence, not only by its Subject.

Domino writes "Your message / Subject: ... / was not delivered to: / <addr> /
because: / <reason>", the sentence on a line of its own, as a plain notice
or as the text part of an RFC 3464 report whose status is a bare 5.0.0. Its
reason ("not listed in the Domino Directory", in Japanese too) is read by the
Domino reader, which the registry chose by the Subject "DELIVERY FAILURE:".
A relay that drops or rewrites that Subject must not make the same notice
read softer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bounce_sink.classify import classify_recipient
from bounce_sink.parse.pipeline import parse_bytes

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "sisimai-dev"
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

_SUBJECT = re.compile(rb"(?im)^Subject:[^\n]*\n(?:[ \t][^\n]*\n)*")


def _without_subject(raw: bytes, replacement: bytes = b"") -> bytes:
    """The notice's own Subject (the first, in its top header) replaced."""
    head, sep, body = raw.partition(b"\n\n")
    return _SUBJECT.sub(replacement, head, count=1) + sep + body


def _readings(raw: bytes) -> list[tuple[str, str, str]]:
    report = parse_bytes(raw)
    found: list[tuple[str, str, str]] = []
    for r in report.recipients:
        verdict = classify_recipient(r, report)
        found.append((r.address, verdict.reason, verdict.severity))
    return found


DOMINO_NOTICES = [
    CORPUS / "lhost-domino-02.eml",  # an RFC 3464 report, status 5.0.0, Japanese reason
    FIXTURES / "bounceparser" / "domino.unknown.eml",  # a plain notice
    FIXTURES / "flufl-bounce" / "simple_11.eml",
]


@pytest.mark.parametrize("path", DOMINO_NOTICES, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "subject", [b"", b"Subject: Undelivered Mail Returned to Sender\n"], ids=["none", "other"]
)
def test_domino_reads_the_same_without_its_subject(path: Path, subject: bytes) -> None:
    raw = path.read_bytes()
    expected = _readings(raw)
    assert expected and all(found[1:] == ("user_unknown", "hard") for found in expected)
    assert _readings(_without_subject(raw, subject)) == expected


@pytest.mark.parametrize("name", ["dsn_02.eml", "dsn_09.eml"])
def test_your_message_was_not_delivered_to_on_one_line_is_not_dominos(name: str) -> None:
    # Another MTA's "Delivery Report (failure)": the words, but not Domino's layout.
    raw = (FIXTURES / "flufl-bounce" / name).read_bytes()
    assert parse_bytes(_without_subject(raw)).format != "domino"
