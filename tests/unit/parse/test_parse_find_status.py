"""`find_status` finds what the first fitting match of `finditer` gives.

It searches match by match from the end of the last one instead; the search
from a position must still see the characters before it (the pattern looks
back for a digit or a dot), or "1.5.1.1" would give a status.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.pipeline import parse_bytes
from bounce_sink.parse.smtp_codes import _STATUS, find_status

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"


def _by_finditer(text: str) -> str:
    for m in _STATUS.finditer(text):
        klass, subject, detail = m.groups()
        if int(subject) > 7:
            continue
        return f"{klass}.{int(subject)}.{int(detail)}"
    return ""


def test_corpus_and_fixture_texts() -> None:
    found = 0
    paths = sorted(CORPUS.glob("*.eml")) + sorted((REPO / "fixtures").rglob("*.eml"))
    for path in paths:
        report = parse_bytes(path.read_bytes())
        for r in report.recipients:
            for text in (r.diagnostic, r.status, f"{r.diagnostic} 5.9.1 {r.status}"):
                assert find_status(text) == _by_finditer(text), text
                found += bool(find_status(text))
    assert found > 300


_PIECES = [
    "5.1.1", "4.7.0", "2.0.0", "5.9.1", "5.8.0", "5.10.1", "5.01.001", "5.7.509", "1.5.1.1",
    "5.1.1.2", "5", "4", ".", "..", "0", "1", "9", "\u0661", " ", "x", "550",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_generated_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert find_status(text) == _by_finditer(text), text


def test_statuses_read_back_as_written_and_not() -> None:
    # The match is the answer only for one ASCII subject digit 0-7 and a detail
    # without leading zeros; the others go through int() as before.
    for text in (
        "550 5.1.1 x", "5.7.0", "4.4.7", "5.0.0", "5.10.1 then 5.2.2", "5.01.001",
        "5.1.01", "5.1.0", "5.1.\u0661", "5.\u0661.1", "5.8.1", "5.7.509", "5.0.00",
    ):  # fmt: skip
        assert find_status(text) == _by_finditer(text), text
