"""`parse_file` gives the contract's line for each file with its readers kept after the first.

The parser and the JSON builder are imported on the first file and kept
(an import statement per file cost ~2 us); importing the module must still
not import the parser, which `bounce-sink parse --json` pays for only once
it has files to read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bounce_sink.parse import json_lines, parse_message
from bounce_sink.parse.cli_output import report_to_json

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def test_importing_the_module_does_not_import_the_parser() -> None:
    code = (
        "import sys, bounce_sink.parse.json_lines as j; "
        "print('bounce_sink.parse.pipeline' in sys.modules, j._readers is None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_every_file_gets_the_line_of_its_report(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml"))[:40] + sorted(FIXTURES.rglob("*.eml"))[:40]
    for path in paths:
        name = str(path)
        expected = report_to_json(name, parse_message(path.read_bytes()))
        assert json.dumps(json_lines.parse_file(name)) == json.dumps(expected), name
    assert json_lines._readers is not None


def test_an_unreadable_file_still_gets_a_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.eml")
    assert json_lines.parse_file(missing)["error"].startswith("cannot read file:")


def test_read_bytes_reads_what_open_reads(corpus_dir: Path, tmp_path: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    big = tmp_path / "big.eml"
    big.write_bytes(bytes(range(256)) * 5000)
    for path in [*paths, empty, big]:
        with open(path, "rb") as fh:
            assert json_lines.read_bytes(str(path)) == fh.read(), path


def test_read_bytes_reads_on_when_the_size_was_not_the_end(tmp_path: Path) -> None:
    """A file that is longer than fstat said (it grew, or a special file):
    read to the end, not cut at the size."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = b"Subject: x\n\n" + b"body line\n" * 20000  # more than a pipe holds at once
    write = f"open({str(fifo)!r}, 'wb').write(b'Subject: x\\n\\n' + b'body line\\n' * 20000)"
    writer = subprocess.Popen([sys.executable, "-c", write])
    try:
        assert json_lines.read_bytes(str(fifo)) == data
    finally:
        writer.wait(timeout=60)


def test_read_bytes_fails_as_open_does(tmp_path: Path) -> None:
    for name in (str(tmp_path / "missing.eml"), str(tmp_path)):
        with pytest.raises(OSError) as ours:
            json_lines.read_bytes(name)
        with pytest.raises(OSError) as theirs, open(name, "rb") as fh:
            fh.read()
        assert (ours.value.errno, ours.value.strerror) == (
            theirs.value.errno,
            theirs.value.strerror,
        )
        assert json_lines.parse_file(name)["error"] == f"cannot read file: {theirs.value.strerror}"
