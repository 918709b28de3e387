"""`parse --json`'s work without the command-line layer: files in, one JSON line each out.

`bounce_sink.entry_point` calls this directly for the plain
`bounce-sink parse --json FILE...` form, so that a batch does not pay for
importing click (~25 ms, a tenth of a 235-file run); `parse/command.py`
uses the same functions, so both print the same lines.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bounce_sink.parse.report import Report

    _Readers = tuple[Callable[[bytes], Report], Callable[[str, Report], dict[str, Any]]]

# The parser and the JSON builder, imported on the first file (importing this
# module stays cheap) and kept: an import statement per file cost ~2 us.
_readers: _Readers | None = None


def _load_readers() -> _Readers:
    global _readers
    from bounce_sink.parse.cli_output import report_to_json

    # The pipeline's reader itself rather than `parse_message`, which imports
    # it on every call (~0.7 % of a warm `parse --json` pass); the same
    # function with the same default limits.
    from bounce_sink.parse.pipeline import parse_bytes

    _readers = (parse_bytes, report_to_json)
    return _readers


def _unreadable(name: str, exc: OSError) -> dict[str, Any]:
    return {
        "file": name,
        "bounce": False,
        "kind": "unknown",
        "recipients": [],
        "error": f"cannot read file: {exc.strerror}",
    }


def _internal_error(name: str, exc: Exception) -> dict[str, Any]:
    return {
        "file": name,
        "bounce": False,
        "kind": "unknown",
        "recipients": [],
        "error": f"internal error: {type(exc).__name__}: {exc}",
    }


def read_bytes(name: str) -> bytes:
    """`open(name, "rb").read()` in about half the time (~5.4 -> ~3 us a corpus
    file): no buffered file object, one read of the size fstat gives.

    A read of one byte more than that size that comes back exactly that long
    has read the whole file; a shorter or longer one (a file changed while
    read, a special file) reads on to the end. The errors are open()'s own
    (the same errno and strerror: os.open, fstat and read raise them).
    tests/unit/parse/test_parse_json_lines.py compares it with open().read().
    """
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) == size:
            return data
        chunks = [data]
        while data:
            data = os.read(fd, max(size, 1 << 16))
            chunks.append(data)
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse_file(name: str) -> dict[str, Any]:
    """The contract's JSON object for one file; every file gets one, whatever happens."""
    parse_message, report_to_json = _readers or _load_readers()
    try:
        raw = read_bytes(name)
    except OSError as exc:
        return _unreadable(name, exc)
    try:
        return report_to_json(name, parse_message(raw))
    except Exception as exc:  # the contract: every file gets a line
        return _internal_error(name, exc)


def write_json_lines(files: Iterable[str]) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    write = sys.stdout.write
    for name in files:
        write(dumps(parse_file(name)) + "\n")
