"""`bounce-sink parse --json` gives the same lines whichever way it starts.

The console script runs the plain `parse --json FILE...` form without click
or the command group; anything else goes through click. All three routes
must print the same lines for the same files, unreadable ones included.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("bounce-sink")


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def test_quick_route_click_route_and_group_agree(corpus_dir: Path, tmp_path: Path) -> None:
    files = [str(p) for p in sorted(corpus_dir.glob("*.eml"))[:40]]
    files.append(str(tmp_path / "missing.eml"))
    quick = _run([str(SCRIPT), "parse", "--json", *files])
    via_click = _run([str(SCRIPT), "parse", "--json", "--", *files])  # "--": click's route
    via_group = _run([sys.executable, "-m", "bounce_sink", "parse", "--json", *files])
    assert quick.returncode == via_click.returncode == via_group.returncode == 0
    lines = quick.stdout.splitlines()
    assert len(lines) == len(files)
    assert '"error": "cannot read file: No such file or directory"' in lines[-1]
    assert quick.stdout == via_click.stdout == via_group.stdout


def test_anything_else_still_goes_through_click(tmp_path: Path) -> None:
    assert "Usage: bounce-sink parse" in _run([str(SCRIPT), "parse", "-h"]).stdout
    no_files = _run([str(SCRIPT), "parse", "--json"])
    assert no_files.returncode == 2 and "Missing argument" in no_files.stderr
    a_directory = _run([str(SCRIPT), "parse", "--json", str(tmp_path)])
    assert a_directory.returncode == 2 and "is a directory" in a_directory.stderr
