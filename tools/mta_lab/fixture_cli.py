"""The command line every MTA lab's make_fixtures.py shares: `--out DIR`, then each file written."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def run(
    generate: Callable[[Path], list[Path]],
    default_out: Path,
    doc: str | None,
    argv: Sequence[str] | None = None,
) -> int:
    """Parse `argv`, write the fixtures with `generate` and list them, then the time taken.

    `doc` is the lab's module docstring: its first line describes the command.
    """
    description = doc.splitlines()[0] if doc else None
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=default_out, help="fixture directory")
    args = parser.parse_args(argv)
    started = time.monotonic()
    for path in generate(args.out):
        print(path)
    print(f"done in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0
