"""Format patterns compiled on first use, with a word test before a search.

The format modules hold ~140 patterns. Compiling them all at import cost a
one-message run ~15-40 ms, and most are never used in a run: a format's
failure-list patterns only when its header test passes, its header patterns
only when a header holds a word the pattern cannot match without. The
header test of every format runs on every message, and a case-insensitive
search per header per format is most of the registry's cost on messages
that no format claims; a substring test on the lower-case value rules most
of them out.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

# The stdlib's own pattern parser (what re.compile uses); no public name.
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

# Non-ASCII characters that a case-insensitive pattern matches to an ASCII
# letter (KELVIN SIGN ~ k, LONG S ~ s, DOTLESS i and DOTTED I ~ i): a word
# holding one can match ASCII text that does not contain its lower case.
ASCII_CASE_TWINS = frozenset("\u212a\u017f\u0131\u0130")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_METHODS = frozenset({"search", "match", "fullmatch", "finditer", "findall", "sub", "split"})


def required_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which the lower case of every ASCII text the
    pattern matches (with or without IGNORECASE) contains; None when unknown.

    Read from the parsed pattern: runs of literal characters, every
    alternative of a group, repeats of at least one.
    """
    clauses = required_clauses(pattern, flags)
    return clauses[0] if clauses else None


def required_clauses(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """Every set of words (`required_words`) the pattern needs one of, strongest first."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return ()
    return tuple(_sequence_clauses(list(parsed)))


def _strength(clause: frozenset[str]) -> tuple[int, int]:
    return min(len(w) for w in clause), -len(clause)


def _sequence_clauses(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """The word sets a sequence needs one of each of: those of every item it
    must match (a literal run, a group, a repeat of at least one), and of an
    alternation the union of its branches' strongest sets."""
    clauses: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            clauses.append(frozenset({"".join(run)}))
            run = []
        if op is sre.SUBPATTERN:
            clauses += _sequence_clauses(list(av[-1]))
        elif op is sre.ATOMIC_GROUP:
            clauses += _sequence_clauses(list(av))
        elif op in _REPEATS and av[0] >= 1:
            clauses += _sequence_clauses(list(av[2]))
        elif op is sre.BRANCH:
            branches = [_sequence_clauses(list(b)) for b in av[1]]
            if all(branches):
                clauses.append(frozenset(w for b in branches for w in b[0]))
    usable = {
        frozenset(w.lower() for w in c)
        for c in clauses
        if all(w and not ASCII_CASE_TWINS.intersection(w) for w in c)
    }
    return sorted(usable, key=lambda c: (_strength(c), sorted(c)), reverse=True)


class LazyPattern:
    """`re.compile(pattern, flags)`, done the first time a method is used.

    The first call puts the compiled pattern's own bound methods on the
    instance, so later calls cost what a compiled pattern's do.
    """

    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]
    split: Callable[..., list[Any]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._clauses: tuple[frozenset[str], ...] | None = None  # read on first use

    def compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags)
        vars(self).update(
            search=compiled.search,
            match=compiled.match,
            fullmatch=compiled.fullmatch,
            finditer=compiled.finditer,
            findall=compiled.findall,
            sub=compiled.sub,
            split=compiled.split,
        )
        return compiled

    def __getattr__(self, name: str) -> Any:
        # Only reached before the first compile: the methods are not set yet.
        if name in _METHODS:
            return getattr(self.compiled(), name)
        raise AttributeError(name)

    def found_in(self, text: str) -> bool:
        """`self.search(text) is not None`, without a search when an ASCII
        text lacks all the words of one of the sets the pattern needs one of."""
        clauses = self._clauses
        if clauses is None:
            clauses = self._clauses = required_clauses(self.pattern, self.flags)
        if clauses and text.isascii():
            lower = text.lower()
            for clause in clauses:
                for word in clause:
                    if word in lower:
                        break
                else:
                    return False
        return self.search(text) is not None

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


# The pattern types format modules take: compiled now, or on first use.
TextPattern = re.Pattern[str] | LazyPattern

__all__ = ["ASCII_CASE_TWINS", "LazyPattern", "TextPattern", "required_clauses", "required_words"]
