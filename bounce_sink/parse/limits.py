"""Bounds on how much of one message the parser looks at.

A bounce mailbox receives whatever anyone sends to it, so parsing must stay
cheap on hostile input: the stdlib parser is given at most `max_bytes`, the
walk over parts stops at a depth and a count, and header blocks are cut. A
truncated message is still parsed; the delivery report comes before the
returned original in every format seen, so the cut costs nothing useful.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

_FIELDS = (
    "max_bytes",
    "max_depth",
    "max_parts",
    "max_header_bytes",
    "max_text_chars",
    "max_recipients",
)


class Limits:
    """Immutable, built by keyword (`Limits(max_parts=50)`) or position,
    compared and hashed by value, shown as `Limits(max_bytes=..., ...)`.

    A plain class with slots rather than a named tuple (or a frozen
    dataclass): defining a NamedTuple builds its `__new__` from source and
    evaluates it (~0.2 ms at every start of the command; a dataclass ~1 ms).
    Nothing reads limits as a tuple (no indexing, unpacking or `_replace`);
    a field is read as fast. tests/unit/parse/test_parse_limits_plain.py
    holds it to the named tuple's answers.
    """

    __slots__ = _FIELDS

    max_bytes: int  # bytes handed to the MIME parser
    max_depth: int  # nesting of multiparts / message parts walked
    max_parts: int  # parts visited in one message
    max_header_bytes: int  # one header section
    max_text_chars: int  # text of one part looked at by the prose readers
    max_recipients: int  # recipients reported from one message

    def __init__(
        self,
        max_bytes: int = 1 << 20,
        max_depth: int = 12,
        max_parts: int = 400,
        max_header_bytes: int = 64 << 10,
        max_text_chars: int = 256 << 10,
        max_recipients: int = 500,
    ) -> None:
        put = object.__setattr__
        put(self, "max_bytes", max_bytes)
        put(self, "max_depth", max_depth)
        put(self, "max_parts", max_parts)
        put(self, "max_header_bytes", max_header_bytes)
        put(self, "max_text_chars", max_text_chars)
        put(self, "max_recipients", max_recipients)

    def _values(self) -> tuple[int, ...]:
        return tuple([getattr(self, name) for name in _FIELDS])

    if not TYPE_CHECKING:  # refused at run time; mypy still checks the names and types

        def __setattr__(self, name: str, value: object) -> None:
            raise AttributeError(f"can't set attribute {name!r} of Limits")

        def __delattr__(self, name: str) -> None:
            raise AttributeError(f"can't delete attribute {name!r} of Limits")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Limits):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS)
        return f"Limits({shown})"


DEFAULT_LIMITS = Limits()
