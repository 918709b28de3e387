"""Regular expressions built from shipped programs instead of compiled in every process.

CPython compiles a pattern in pure Python (parse, then code generation) and
only the last step, `_sre.compile`, is C. A one-pass `parse --json` over the
dev corpus compiles ~400 patterns, ~50 ms of a ~300 ms run, most of them rule
and format patterns reached on first use. The program the compiler makes
depends only on the pattern, the flags and the regex engine, so
`regex_programs.json` (written by `regex_program_build.py`) ships the
programs of the classifier's and the format modules' patterns, and
`compile_pattern` hands them straight to the engine. The result is the same
`re.Pattern` (`==` compares pattern, flags and program; the tests check
every entry against `re.compile`). A pattern not in the file, a missing or
unreadable file, or another Python or engine (`ENGINE` below) compiles the
ordinary way, so a stale file costs time, never correctness.

The programs are stored as base64 of the engine's code words: the file is
read with one `json.loads` of ~400 short rows (~1 ms) and a program is
decoded only when its pattern is asked for.
"""

from __future__ import annotations

import array
import base64
import importlib
import json
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

PROGRAM_FILE = Path(__file__).with_name("regex_programs.json")

# Every (pattern, flags) asked for, for the build script.
requested: set[tuple[str, int]] = set()

_Row = list[Any]  # [pattern, flags, final flags, base64 code, groups, groupindex, indexgroup]


def engine_id() -> list[Any]:
    """What a stored program is valid for: implementation, version, engine, word size, byte order."""
    sre: Any = importlib.import_module("_sre")
    major, minor = sys.version_info[:2]
    return [sys.implementation.name, major, minor, int(sre.MAGIC), int(sre.CODESIZE), sys.byteorder]


def encode_code(code: list[int]) -> str:
    return base64.b64encode(array.array("I", code).tobytes()).decode("ascii")


def _decode_code(text: str) -> list[int]:
    words = array.array("I")
    words.frombytes(base64.b64decode(text))
    return words.tolist()


@lru_cache(maxsize=1)
def _table() -> tuple[Callable[..., re.Pattern[str]], dict[tuple[str, int], _Row]] | None:
    """`_sre.compile` and the stored rows, or None when they cannot be used here."""
    try:
        data = json.loads(PROGRAM_FILE.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("engine") != engine_id():
        return None
    if array.array("I").itemsize != data["engine"][4]:
        return None
    sre: Any = importlib.import_module("_sre")
    build: Callable[..., re.Pattern[str]] = sre.compile
    return build, {(row[0], row[1]): row for row in data["programs"]}


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, without the compiling when the file has its program."""
    requested.add((pattern, flags))
    table = _table()
    row = table[1].get((pattern, flags)) if table is not None else None
    if table is None or row is None:
        return re.compile(pattern, flags)
    _, _, final_flags, code, groups, groupindex, indexgroup = row
    return table[0](pattern, final_flags, _decode_code(code), groups, groupindex, tuple(indexgroup))
