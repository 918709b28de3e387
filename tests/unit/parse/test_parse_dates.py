"""The quick date reading equals `parsedate_to_datetime` wherever it answers,
and the fallback reading (without email.utils) equals it everywhere.

`pipeline._common_date` reads the usual RFC 5322 shape itself; a zone sign
or a month read differently would shift every arrival date of a report.
"""

from __future__ import annotations

import email
from datetime import datetime
from email._policybase import compat32
from email.utils import parsedate_to_datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.pipeline import _common_date, _date, _parsedate_to_datetime

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
_ERRORS = (TypeError, ValueError, IndexError, OverflowError)


def _stdlib(value: str) -> str:
    try:
        return repr(parsedate_to_datetime(value))
    except _ERRORS as exc:
        return type(exc).__name__


def _fallback(value: str) -> str:
    """The reading of the dates the quick reader declines (email.utils not imported)."""
    try:
        return repr(_parsedate_to_datetime(value))
    except _ERRORS as exc:
        return type(exc).__name__


def _quick(value: str) -> str | None:
    """repr of the quick reading, the error's name, or None where it declines."""
    try:
        found = _common_date(value)
    except _ERRORS as exc:
        return type(exc).__name__
    return None if found is None else repr(found)


def _corpus_dates(corpus_dir: Path) -> list[str]:
    values: list[str] = []
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        message = email.message_from_bytes(data, policy=compat32)
        for part in message.walk():
            values += [str(v) for v in part.get_all("date", [])]
        for line in data.decode("utf-8", "replace").splitlines():
            if line.lower().startswith(("arrival-date:", "last-attempt-date:")):
                values.append(line.partition(":")[2])
    return values


def test_every_corpus_and_fixture_date(corpus_dir: Path) -> None:
    values = _corpus_dates(corpus_dir)
    quick = 0
    for value in values:
        for text in (value, value.strip(), value.rsplit(";", 1)[-1]):
            assert _fallback(text) == _stdlib(text), text
            found = _quick(text)
            if found is not None:
                quick += 1
                assert found == _stdlib(text), text
    assert quick > len(values) // 2  # the shape is the common one


def test_zones_and_edges() -> None:
    for value in (
        "Mon, 1 Jan 2024 00:00:00 +0000",
        "Mon, 1 Jan 2024 00:00:00 -0000",
        "Mon, 1 Jan 2024 00:00:00 -0000 (zone unknown)",
        "1 Jan 2024 00:00:00 -0530",
        "Tue, 29 Feb 2022 00:00:00 +0900",
        "Tue, 31 Dec 1999 23:59:60 +0100",
        "Tue, 31 Dec 1999 24:00:00 +0100",
        "Tue, 31 Dec 1999 23:59:59 +9999",
        "Tue, 31 Dec 1999 23:59:59 +2400",
        "Tue, 31 Dec 1999 23:59:59 -2359",
        "Sun, 00 Dec 2024 10:00:00 +0000",
        "Sun, 1 Dec 2024 10:00:00 +0000(UTC)",
    ):
        found = _quick(value)
        assert found is None or found == _stdlib(value), value
        assert _fallback(value) == _stdlib(value), value
    assert _common_date("Mon, 1 Jan 2024 00:00:00 -0000") == datetime(2024, 1, 1)
    assert _date(" Mon, 1 Jan 2024 00:00:00 -0000 ") == datetime(2024, 1, 1)
    assert _date("Tue, 31 Dec 1999 24:00:00 +0100") is None


@settings(max_examples=600, deadline=None)
@given(
    lead=st.sampled_from(["", " ", "\t", "Mon, ", "Sun,", "mon, ", "Xyz, "]),
    day=st.integers(0, 39),
    pad=st.booleans(),
    month=st.sampled_from(["Jan", "Feb", "Jun", "Dec", "dec", "June", "Foo"]),
    year=st.integers(0, 2999),
    hms=st.tuples(st.integers(0, 61), st.integers(0, 61), st.integers(0, 61)),
    zone=st.tuples(st.sampled_from("+-"), st.integers(0, 9999)),
    tail=st.sampled_from(["", " ", " (UTC)", "(UTC)", "\n", " x y", "\x1c", ";"]),
)
def test_generated_dates(
    lead: str,
    day: int,
    pad: bool,
    month: str,
    year: int,
    hms: tuple[int, int, int],
    zone: tuple[str, int],
    tail: str,
) -> None:
    value = (
        f"{lead}{f'{day:02d}' if pad else day} {month} {year:04d} "
        f"{hms[0]:02d}:{hms[1]:02d}:{hms[2]:02d} {zone[0]}{zone[1]:04d}{tail}"
    )
    found = _quick(value)
    assert found is None or found == _stdlib(value), value
    assert _fallback(value) == _stdlib(value), value
