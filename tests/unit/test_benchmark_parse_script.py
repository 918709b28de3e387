"""`benchmarks/parse.py` keeps working: both modes run on a small corpus and print a rate.

The benchmark is how the speed goal is checked; a script that rots silently
would leave the recorded figures unrepeatable.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "sisimai-dev"


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    for name in sorted(p.name for p in CORPUS.glob("*.eml"))[:4]:
        shutil.copy(CORPUS / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("mode", [["--passes", "1"], ["--warm", "1"]], ids=["cold", "warm"])
def test_benchmark_prints_a_rate_for_bounce_sink(small_corpus: Path, mode: list[str]) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "parse.py"),
            "--corpus",
            str(small_corpus),
            "--repeat",
            "1",
            *mode,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("bounce-sink parse --json"))
    rate = float(re.split(r"\s{2,}", line.strip())[1])
    assert rate > 0
    assert "load average" in out


def test_paired_ratio_is_taken_round_by_round_and_best_against_best() -> None:
    """A drift that slows every run of the later rounds moves each side alike:
    the per-round ratio stays put where a ratio of medians would not."""
    spec = importlib.util.spec_from_file_location("bench_parse", REPO / "benchmarks" / "parse.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_parse"] = bench  # its dataclass looks its module up there
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules["bench_parse"]
    ours = [1.0, 2.0, 1.5]
    theirs = [3.0, 6.0, 6.0]  # 3x, 3x, 4x
    assert bench.paired(ours, theirs) == (
        "per round 3.00x (range 3.00-4.00x over 3 rounds), best run against best run 3.00x"
    )
    assert bench.paired([0.0], [1.0]) == "no paired rounds"
