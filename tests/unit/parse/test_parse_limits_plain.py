"""Limits, a plain class with slots, answers as the named tuple it replaced.

Defining a NamedTuple evaluates a generated `__new__` at every start of the
command; the plain class is built, compared, hashed, shown and refused
changes as the named tuple was, for everything the package does with it
(build by keyword or position, read fields, compare).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from bounce_sink.parse.limits import DEFAULT_LIMITS, Limits

REPO = Path(__file__).resolve().parents[3]


class _Former(NamedTuple):
    max_bytes: int = 1 << 20
    max_depth: int = 12
    max_parts: int = 400
    max_header_bytes: int = 64 << 10
    max_text_chars: int = 256 << 10
    max_recipients: int = 500


_NAMES = _Former._fields

_CASES: list[tuple[tuple[int, ...], dict[str, int]]] = [
    ((), {}),
    ((), {"max_parts": 50}),
    ((), {"max_depth": 0, "max_header_bytes": 200}),
    ((5,), {}),
    ((1, 2, 3, 4, 5, 6), {}),
    ((7, 8), {"max_recipients": 9}),
]


@pytest.mark.parametrize(("args", "options"), _CASES)
def test_built_as_the_named_tuple(args: tuple[int, ...], options: dict[str, int]) -> None:
    new, old = Limits(*args, **options), _Former(*args, **options)
    assert [getattr(new, name) for name in _NAMES] == list(old)
    assert repr(new) == repr(old).replace("_Former", "Limits")
    assert hash(new) == hash(Limits(*args, **options))
    assert new == Limits(*args, **options)


def test_compared_by_value() -> None:
    assert Limits() == DEFAULT_LIMITS
    assert Limits(max_parts=1) != DEFAULT_LIMITS
    assert Limits(max_parts=1) != Limits(max_depth=1)
    assert len({Limits(), Limits(), Limits(max_parts=1)}) == 2
    assert Limits() != object()


def test_refuses_changes() -> None:
    limits = Limits()
    with pytest.raises(AttributeError):
        limits.max_parts = 3
    with pytest.raises(AttributeError):
        del limits.max_depth
    with pytest.raises(AttributeError):
        limits.other = 1  # type: ignore[attr-defined]
    assert limits == DEFAULT_LIMITS


def test_wrong_arguments_fail_as_before() -> None:
    with pytest.raises(TypeError):
        Limits(1, 2, 3, 4, 5, 6, 7)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Limits(max_part=1)  # type: ignore[call-arg]


def test_importing_the_limits_defines_no_named_tuple() -> None:
    # A fresh interpreter runs limits.py alone (the package's other modules
    # define named tuples of their own): no collections.namedtuple call, the
    # generated __new__ that defining a NamedTuple evaluates.
    code = (
        "import collections\n"
        "calls = []\n"
        "made = collections.namedtuple\n"
        "collections.namedtuple = lambda *a, **k: calls.append(a) or made(*a, **k)\n"
        "import typing\n"
        "typing.collections.namedtuple = collections.namedtuple\n"
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('limits', sys.argv[1])\n"
        "calls.clear()\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print(len(calls))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "bounce_sink" / "parse" / "limits.py")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0", done.stdout
