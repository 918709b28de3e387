"""The suite has a per-test time limit, so a hang fails with its stack instead of stalling CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def test_a_time_limit_is_set(pytestconfig: pytest.Config) -> None:
    assert 0 < float(pytestconfig.getini("timeout")) <= 900


def test_a_hanging_test_fails_instead_of_stalling(tmp_path: Path) -> None:
    (tmp_path / "test_hang.py").write_text(
        "import time\n\ndef test_hang():\n    while True:\n        time.sleep(0.05)\n"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--timeout=1",
            "test_hang.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Timeout" in run.stdout and "1 failed" in run.stdout
