"""The check every MTA lab's integration test makes: the lab still makes each committed fixture.

A lab's test runs its ``generate`` into a temporary directory and asks that
exactly the committed fixtures come out, each delivered to us (null
Return-Path), each passing the lab's own checks of its MTA's headers, and
each reading as the committed file does: dates and queue ids change from run
to run, what a reader gets out of the bounce must not, so a changed MTA or a
changed lab shows up as a difference instead of a silently stale fixture.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tests" / "unit" / "parse"))

from lab_readings import Reading, readings  # noqa: E402  (the fixture tables' reading)


class LabCase(Protocol):
    @property
    def fixture(self) -> str: ...


CaseT = TypeVar("CaseT", bound=LabCase)


def assert_every_case_has_a_fixture(cases: Sequence[LabCase], fixtures: Path) -> None:
    """The cases and the committed files are the same set: none missing, none left over."""
    assert {case.fixture for case in cases} == {path.name for path in fixtures.glob("*.eml")}


def assert_regenerates(
    generate: Callable[[Path], list[Path]],
    cases: Sequence[CaseT],
    fixtures: Path,
    out: Path,
    check: Callable[[CaseT, bytes], None] | None = None,
    read: Callable[[bytes], list[Reading]] | None = readings,
) -> None:
    """Run `generate` into `out`; every case's fresh bounce reads as its committed fixture.

    `check` is the lab's own look at a fresh bounce (its MTA's From, version
    line, format).  `read` is how a bounce is read for the comparison (the
    unit tables' reading by default); None leaves the comparison to `check`.
    """
    written = generate(out)

    assert sorted(path.name for path in written) == sorted(case.fixture for case in cases)
    for case in cases:
        raw = (out / case.fixture).read_bytes()
        assert raw.startswith(b"Return-Path: <>\n"), case.fixture
        if check is not None:
            check(case, raw)
        if read is not None:
            committed = (fixtures / case.fixture).read_bytes()
            assert read(raw), case.fixture
            assert read(raw) == read(committed), case.fixture
