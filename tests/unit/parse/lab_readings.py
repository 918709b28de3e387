"""What a person reading an MTA lab's bounce would say, and the check of ours against it.

Shared by the tables of the MTA labs' fixtures (fixtures/exim/, opensmtpd/,
sendmail/, courier/, dma/: test_parse_<mta>_lab_fixtures.py): each row is written from the bounce text and DESIGN.md's taxonomy, and the
parser and classifier must give it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from bounce_sink.classify import classify_recipient
from bounce_sink.parse import parse_message


class Reading(NamedTuple):
    """One recipient as the bounce tells it, and the verdict the taxonomy gives it."""

    address: str
    action: str
    status: str
    reply_code: str
    text: str  # a piece of the diagnostic
    reason: str
    severity: str
    side: str


def readings(raw: bytes) -> list[Reading]:
    """Our reading of a bounce, recipients sorted: both MTAs list them in an
    order of their own (Exim's prose against its report part, smtpd's random
    envelope ids)."""
    report = parse_message(raw)
    assert report.kind == "dsn"
    got = []
    for recipient in report.recipients:
        verdict = classify_recipient(recipient, report)
        got.append(
            Reading(
                recipient.address,
                recipient.action,
                recipient.status,
                recipient.reply_code,
                recipient.diagnostic,
                verdict.reason,
                verdict.severity,
                verdict.side,
            )
        )
    return sorted(got)


def assert_reads_as(
    got: list[Reading], expected: list[Reading], name: str, *, collapse_spaces: bool = False
) -> None:
    """`got` is `expected`, the diagnostic holding the expected piece of text
    (`collapse_spaces`: compared on single spaces, where the MTA wraps it)."""
    expected = sorted(expected)
    assert [g.address for g in got] == [e.address for e in expected], name
    for seen, wanted in zip(got, expected, strict=True):
        text = " ".join(seen.text.split()) if collapse_spaces else seen.text
        assert wanted.text in text, name
        assert seen._replace(text=wanted.text) == wanted, name


def assert_returns_newsletters(expected: dict[str, list[Reading]], fixtures: Path) -> None:
    """Each bounce returns the message (or its headers) it is about, so it can be matched."""
    for name, rows in expected.items():
        report = parse_message((fixtures / name).read_bytes())
        local = rows[0].address.split("@", 1)[0]
        assert report.original_message_id == f"<november-2026.{local}@example.org>", name
