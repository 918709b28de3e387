"""`benchmarks/parse.py` keeps working: both modes run on a small corpus and print a rate.

The benchmark is how the speed goal is checked; a script that rots silently
would leave the recorded figures unrepeatable.
"""

from __future__ import annotations

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
