"""A `bounce-sink parse --json` run loads none of the stdlib's heavy mail modules.

The quick reader's parts stand in for `email.message.Message`, and dates the
quick reader declines go to `email._parseaddr` alone: `email.utils` (socket,
urllib, random), the stdlib parser and `dataclasses` (inspect, ast) cost about
30 ms of every start. A module-level import put back anywhere on the path
fails here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# Other projects' sample sets: the fixture directories with their labels beside them.
EXTERNAL_SETS = frozenset(path.parent.name for path in (REPO / "fixtures").glob("*/expected.jsonl"))

HEAVY = (
    "email.message",
    "email.utils",
    "email.parser",
    "email.feedparser",
    "email._policybase",
    "email.header",
    "email.charset",
    "socket",
    "urllib.parse",
    "random",
    "dataclasses",
    "inspect",
    "logging",
    # decoded with binascii directly (test_parse_text_decoding_binascii)
    "base64",
    "struct",
    "quopri",
)


def test_a_parse_run_over_the_corpus_and_fixtures_loads_no_heavy_module(corpus_dir: Path) -> None:
    # Other projects' sample sets (test_parse_external_sets.py) are left out:
    # many of their old notices are read by no reader of ours but by the
    # flufl.bounce fallback, which needs the stdlib's tree; the guard is for
    # the readers' own path.
    files = sorted(map(str, corpus_dir.glob("*.eml"))) + sorted(
        str(path)
        for path in (REPO / "fixtures").rglob("*.eml")
        if path.parent.name not in EXTERNAL_SETS
    )
    code = (
        "import contextlib, io, sys\n"
        "from bounce_sink.entry_point import main\n"
        "sys.argv = ['bounce-sink', 'parse', '--json', *sys.argv[1:]]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    main()\n"
        "assert out.getvalue().count('\\n') == len(sys.argv) - 3, 'a file gave no line'\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *files], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
