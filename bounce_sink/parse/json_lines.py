"""`parse --json`'s work without the command-line layer: files in, one JSON line each out.

`bounce_sink.entry_point` calls this directly for the plain
`bounce-sink parse --json FILE...` form, so that a batch does not pay for
importing click (~25 ms, a tenth of a 235-file run); `parse/command.py`
uses the same functions, so both print the same lines.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any


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
    from bounce_sink.parse import parse_message
    from bounce_sink.parse.cli_output import report_to_json

    try:
        with open(name, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return _unreadable(name, exc)
    try:
        return report_to_json(name, parse_message(raw))
    except Exception as exc:  # the contract: every file gets a line
        return _internal_error(name, exc)


# Below this many files a second process costs more than it saves: the fork,
# and the child's own first use of the formats and patterns loaded lazily.
SPLIT_FROM = 32
# What a file costs beyond its bytes, in bytes, when the batch is cut in two.
_COST_PER_FILE = 4096


def write_json_lines(files: Iterable[str]) -> None:
    """One line per file, in order; a large batch is parsed by two processes when there are CPUs.

    Parsing is CPU-bound and the files are independent, so on a machine with
    a second CPU a forked child parses the second half of the batch into
    an anonymous memory file while this process parses and prints the
    first; its lines follow. Should the child fail in any way, this
    process parses the second half itself: every file still gets its line.
    """
    names = list(files)
    if len(names) >= SPLIT_FROM and _usable_cpus() > 1 and hasattr(os, "memfd_create"):
        _write_split(names)
    else:
        _write(names, sys.stdout.write)


def _write(names: list[str], write: Callable[[str], object]) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    for name in names:
        write(dumps(parse_file(name)) + "\n")


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split_point(names: list[str]) -> int:
    """Where to cut `names` so that both halves hold about as many bytes to read."""
    weights = []
    for name in names:
        try:
            weights.append(os.stat(name).st_size + _COST_PER_FILE)
        except OSError:
            weights.append(_COST_PER_FILE)
    half, total = sum(weights) / 2, 0
    for index, weight in enumerate(weights):
        total += weight
        if total >= half:
            return min(max(index + 1, 1), len(names) - 1)
    return len(names) // 2


def _write_split(names: list[str]) -> None:
    cut = split_point(names)
    first, second = names[:cut], names[cut:]
    # Lines may carry lone surrogates (undecodable header bytes); they cross
    # the memory file unchanged and meet stdout's own error handler as usual.
    fd = os.memfd_create("bounce-sink-parse")
    # The first file before the fork: the imports and first-use set-up it
    # costs (~half of a small batch's time) are then paid once, not twice.
    _write(first[:1], sys.stdout.write)
    sys.stdout.flush()
    gc.freeze()  # the collector would otherwise touch, and so copy, every shared object
    pid = os.fork()
    if pid == 0:  # the child: second half into the memory file, no cleanup
        code = 1
        try:
            with open(fd, "w", encoding="utf-8", errors="surrogatepass", closefd=False) as out:
                # Anything else printed on the way (a parse failure's log line)
                # lands in order with the lines, as it would on stdout.
                sys.stdout = out
                _write(second, out.write)
            code = 0
        finally:
            os._exit(code)
    gc.unfreeze()
    _write(first[1:], sys.stdout.write)
    _, status = os.waitpid(pid, 0)
    os.lseek(fd, 0, os.SEEK_SET)  # the child's writes moved the shared offset to the end
    with open(fd, encoding="utf-8", errors="surrogatepass") as child_lines:
        text = child_lines.read() if os.waitstatus_to_exitcode(status) == 0 else ""
    if text.count("\n") >= len(second):
        sys.stdout.write(text)
    else:  # the child failed or was killed: its half is done here
        _write(second, sys.stdout.write)
