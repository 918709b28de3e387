"""The shipped regex programs give the very patterns `re.compile` gives, or are not used.

`compile_pattern` skips the compiler for ~400 patterns; a wrong program would
match differently without any error, so every stored program is compared
with a fresh compile, and the fallbacks (unknown pattern, other engine,
no file) are checked to compile the ordinary way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bounce_sink.classify.providers import PROVIDERS
from bounce_sink.classify.table import TEXT_RULES
from bounce_sink.parse import regex_programs
from bounce_sink.parse.regex_program_build import program_of
from bounce_sink.parse.regex_programs import PROGRAM_FILE, compile_pattern, engine_id


def _rows() -> list[list[object]]:
    rows: list[list[object]] = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))["programs"]
    return rows


@pytest.fixture
def fresh_table() -> Iterator[None]:
    regex_programs._table.cache_clear()
    yield
    regex_programs._table.cache_clear()


def test_the_file_is_for_this_engine() -> None:
    data = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))
    assert data["engine"] == engine_id()
    assert len(data["programs"]) > 300


def test_every_stored_program_is_what_re_compile_makes() -> None:
    for row in _rows():
        pattern, flags = row[0], row[1]
        assert isinstance(pattern, str) and isinstance(flags, int)
        assert row == program_of(pattern, flags)
        built, compiled = compile_pattern(pattern, flags), re.compile(pattern, flags)
        assert built == compiled  # pattern, flags and program
        assert built.groupindex == compiled.groupindex
        assert built.groups == compiled.groups


def test_built_patterns_match_like_compiled_ones() -> None:
    probe = "550 5.1.1 <user@example.com>: Recipient address rejected: User unknown\n"
    for row in _rows():
        pattern, flags = str(row[0]), int(str(row[1]))
        built, compiled = compile_pattern(pattern, flags), re.compile(pattern, flags)
        got, want = built.search(probe), compiled.search(probe)
        assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))


def test_every_classifier_pattern_is_shipped() -> None:
    """A rule changed without re-running the build would compile at run time: slower, not wrong."""
    stored = {(str(row[0]), row[1]) for row in _rows()}
    wanted = {(r.regex, 0) for r in TEXT_RULES}
    wanted |= {(p.hosts, 0) for p in PROVIDERS}
    wanted |= {(r.regex, 0) for p in PROVIDERS for r in p.rules if r.regex}
    missing = wanted - stored
    assert not missing, "run python -m bounce_sink.parse.regex_program_build (see its docstring)"


def test_an_unknown_pattern_compiles_the_ordinary_way() -> None:
    pattern = r"(?P<word>not in the shipped file)\s+\d{3}"
    assert compile_pattern(pattern, re.IGNORECASE) == re.compile(pattern, re.IGNORECASE)


@pytest.mark.usefixtures("fresh_table")
def test_a_file_for_another_engine_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pattern = str(_rows()[0][0])
    other = tmp_path / "programs.json"
    # A program that would match anything: used, it would show.
    wrong = [pattern, 0, 32, regex_programs.encode_code([1]), 0, {}, [None]]
    other.write_text(
        json.dumps({"engine": ["cpython", 3, 99, 0, 4, "little"], "programs": [wrong]}),
        encoding="utf-8",
    )
    monkeypatch.setattr(regex_programs, "PROGRAM_FILE", other)
    assert compile_pattern(pattern) == re.compile(pattern)


@pytest.mark.usefixtures("fresh_table")
def test_no_file_compiles_the_ordinary_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex_programs, "PROGRAM_FILE", tmp_path / "absent.json")
    pattern = str(_rows()[0][0])
    assert compile_pattern(pattern) == re.compile(pattern)
