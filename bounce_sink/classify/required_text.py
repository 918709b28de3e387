"""Words a pattern cannot match without: a cheap test before a regex search.

Searching a diagnostic with every reason's alternation of patterns is most
of classification's cost, and most reasons do not apply to a given text.
Each pattern here yields a set of plain strings, at least one of which is in
every text it matches (read from the parsed pattern: runs of literal
characters, alternatives, repeats of at least one); a substring test
(`str in str`, a memchr scan) rules a reason out before any regex runs.
Patterns it cannot reason about (case-insensitive ones, or ones with no
literal that every match must contain) give None: always searched.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The stdlib's own pattern parser (what re.compile uses); no public name.
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_words(regex: str) -> frozenset[str] | None:
    """Strings one of which every match of `regex` contains, or None when unknown."""
    try:
        parsed = sre_parse.parse(regex)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    return _of_sequence(list(parsed))


def _of_sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if op is sre.AT:
            continue  # zero-width (\b, ^, $): the characters around it stay adjacent
        flush()
        found: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, pattern = av
            if not add_flags & re.IGNORECASE:
                found = _of_sequence(list(pattern))
        elif op is sre.BRANCH:
            branches = [_of_sequence(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                found = frozenset().union(*(b for b in branches if b is not None))
        elif op in _REPEATS:
            low, _high, pattern = av
            if low >= 1:
                found = _of_sequence(list(pattern))
        if found:
            candidates.append(found)
    flush()
    if not candidates:
        return None
    # The set whose shortest word is longest rules out the most texts.
    return max(candidates, key=lambda s: (min(len(w) for w in s), -len(s)))


def any_required(regexes: list[str]) -> frozenset[str] | None:
    """Words one of which a text must contain for any of these regexes to match."""
    words: set[str] = set()
    for regex in regexes:
        found = required_words(regex)
        if found is None:
            return None
        words |= found
    return frozenset(words)


def may_match(words: frozenset[str] | None, text: str) -> bool:
    return words is None or any(map(text.__contains__, words))


class Gate:
    """The words of some patterns, read on first use.

    Reading a pattern costs about as much as compiling it; a run that never
    reaches a gate (one file, a provider that never answers) never pays.
    """

    __slots__ = ("_parts", "_read", "_regexes", "_words")

    def __init__(self, regexes: list[str], parts: tuple[Gate, ...] = ()) -> None:
        self._regexes = regexes
        self._parts = parts  # or: open when any of these gates is (their words, pooled)
        self._words: frozenset[str] | None = None
        self._read = False

    @classmethod
    def any_of(cls, gates: tuple[Gate, ...]) -> Gate:
        """Open when any of `gates` is; reads each pattern once, through them."""
        return cls([], gates)

    @property
    def words(self) -> frozenset[str] | None:
        if not self._read:
            if self._parts:
                self._words = _pooled(self._parts)
            else:
                self._words = any_required(self._regexes)
            self._read = True
        return self._words

    def allows(self, text: str) -> bool:
        """False only when no text like this one can match any of the patterns."""
        words = self.words
        return words is None or any(map(text.__contains__, words))


def _pooled(gates: tuple[Gate, ...]) -> frozenset[str] | None:
    words: set[str] = set()
    for gate in gates:
        if gate.words is None:
            return None
        words |= gate.words
    return frozenset(words)
