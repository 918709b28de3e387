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
_UNKNOWN: Any = object()
_METHODS = frozenset({"search", "match", "fullmatch", "finditer", "findall", "sub", "split"})


def required_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which the lower case of every ASCII text the
    pattern matches (with or without IGNORECASE) contains; None when unknown.

    Read from the parsed pattern: runs of literal characters, every
    alternative of a group, repeats of at least one.
    """
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    return _sequence_words(list(parsed))


def _sequence_words(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The strongest of the word sets the items of a sequence each require."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        words: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            words = _sequence_words(list(av[-1]))
        elif op is sre.ATOMIC_GROUP:
            words = _sequence_words(list(av))
        elif op is sre.BRANCH:
            branches = [_sequence_words(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                words = frozenset(w for b in branches if b is not None for w in b)
        elif op in _REPEATS and av[0] >= 1:
            words = _sequence_words(list(av[2]))
        if words:
            candidates.append(words)
    usable = [
        frozenset(w.lower() for w in c)
        for c in candidates
        if all(w and not ASCII_CASE_TWINS.intersection(w) for w in c)
    ]
    return max(usable, key=lambda c: min(len(w) for w in c)) if usable else None


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
        self._words: frozenset[str] | None = _UNKNOWN

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
        text lacks every word the pattern needs."""
        words = self._words
        if words is _UNKNOWN:
            words = self._words = required_words(self.pattern, self.flags)
        if words is not None and text.isascii():
            lower = text.lower()
            for word in words:
                if word in lower:
                    break
            else:
                return False
        return self.search(text) is not None

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


# The pattern types format modules take: compiled now, or on first use.
TextPattern = re.Pattern[str] | LazyPattern

__all__ = ["ASCII_CASE_TWINS", "LazyPattern", "TextPattern", "required_words"]
