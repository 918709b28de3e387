"""A large batch parsed by two processes prints exactly what one process prints.

`write_json_lines` forks a child for the second half of a batch of
`SPLIT_FROM` files or more; the lines, their order and the unreadable
files' lines must not change, and a child that fails must cost nothing
but time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bounce_sink.parse import json_lines


def _batch(corpus_dir: Path, tmp_path: Path) -> list[str]:
    files = [str(p) for p in sorted(corpus_dir.glob("*.eml"))[:70]]
    files.insert(50, str(tmp_path / "missing.eml"))
    assert len(files) >= json_lines.SPLIT_FROM
    return files


def _one_process(files: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    json_lines._write(files, sys.stdout.write)
    return capsys.readouterr().out


def test_two_processes_print_what_one_prints(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _batch(corpus_dir, tmp_path)
    expected = _one_process(files, capsys)
    json_lines._write_split(files)
    got = capsys.readouterr().out
    assert got == expected
    assert len(got.splitlines()) == len(files)
    assert "cannot read file" in got.splitlines()[50]


def test_a_failing_child_costs_only_time(
    corpus_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = _batch(corpus_dir, tmp_path)
    expected = _one_process(files, capsys)
    parent = os.getpid()
    real_parse_file = json_lines.parse_file

    def crashes_in_the_child(name: str) -> dict[str, object]:
        if os.getpid() != parent:
            raise RuntimeError("child down")
        return real_parse_file(name)

    monkeypatch.setattr(json_lines, "parse_file", crashes_in_the_child)
    json_lines._write_split(files)
    assert capsys.readouterr().out == expected


def test_the_cut_balances_bytes(tmp_path: Path) -> None:
    big, small = tmp_path / "big.eml", tmp_path / "small.eml"
    big.write_bytes(b"x" * 400_000)
    small.write_bytes(b"x" * 100)
    names = [str(big)] + [str(small)] * 40
    assert json_lines.split_point(names) == 1  # the big file alone is half the work
    assert json_lines.split_point([str(small)] * 40) == 20
    assert json_lines.split_point([str(tmp_path / "none.eml")] * 2) == 1
