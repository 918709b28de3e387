"""`parse --json`'s work without the command-line layer: files in, one JSON line each out.

`bounce_sink.entry_point` calls this directly for the plain
`bounce-sink parse --json FILE...` form, so that a batch does not pay for
importing click (~25 ms, a tenth of a 235-file run); `parse/command.py`
uses the same functions, so both print the same lines.
"""

from __future__ import annotations

import json
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
    from bounce_sink.parse import parse_message
    from bounce_sink.parse.cli_output import report_to_json

    _readers = (parse_message, report_to_json)
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


def parse_file(name: str) -> dict[str, Any]:
    """The contract's JSON object for one file; every file gets one, whatever happens."""
    parse_message, report_to_json = _readers or _load_readers()
    try:
        with open(name, "rb") as fh:
            raw = fh.read()
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
