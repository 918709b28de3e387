"""Which formats' header tests can pass on a message, found once per message.

Every message used to meet every format's `matches` until one passed (~14
calls, each a header read and one or two searches). Each format's test is
a few searches of the decoded From and Subject, a few header names, a few
values: a search cannot match a field whose lower case lacks the words its
pattern needs (`lazy_pattern.required_options`). So one pass over the
fields with those words, each a substring test, gives the formats whose
test may pass; the registry then asks only those, in its order, and their
own `matches` still decides. The words are a necessary condition only: a
format left out is one whose test would have failed.

A format says what its test reads by a `HeaderGate` (LayoutFormat derives
its own from its fields); one without a gate is always asked (only the
catch-all, asked last, has none: its ~30 words would cost every message
more than its one test costs the few that reach it).
tests/unit/parse/test_parse_format_dispatch.py holds the candidates to a
superset of what every format's `matches` says over every corpus and
fixture message and over generated headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Generic, NamedTuple, TypeVar

from bounce_sink.parse.formats.lazy_pattern import ASCII_CASE_TWINS, LazyPattern, literal_words

_F = TypeVar("_F")


class Searched(NamedTuple):
    """The pattern is searched in the decoded field ("" when absent)."""

    field: str
    pattern: LazyPattern


class Contains(NamedTuple):
    """The decoded field holds this text (a plain `in` or `==` test)."""

    field: str
    text: str


class Present(NamedTuple):
    """The header field is present (`name in headers`, or a non-empty value)."""

    field: str


Atom = Searched | Contains | Present


class HeaderGate(NamedTuple):
    """What a format's `matches` tests: any one atom (or all) passing.

    (These records are named tuples: a frozen dataclass costs ~0.5 ms to
    define at import, a named tuple ~0.07 ms.)
    """

    atoms: tuple[Atom, ...]
    require_all: bool = False


# A bound on the remembered answers: one per combination of words found,
# and real mail shows a few dozen combinations.
_MAX_REMEMBERED = 4096

# Words shorter than this ("@", ":", ".com") rule out nearly nothing in a
# From or Subject but would cost a test on every message: a set of them is
# left out of an option (which only lets more formats be asked), unless it
# is the option's strongest set.
_SHORTEST_WORD = 4


# The fields whose values repeat from message to message: an MTA writes the
# same Subject ("Undelivered Mail Returned to Sender") and From
# ("MAILER-DAEMON@mx.example.org (Mail Delivery System)") on every notice
# (the dev corpus: 70 Subjects and 142 Froms in 235 messages). The bits a
# value of theirs sets are remembered by value: ~60 substring tests a
# message, two of them the most words of any field. (Received and
# Message-ID values differ on every message: not remembered.)
# tests/unit/parse/test_parse_sb_s9_shortcuts.py compares the answers with
# those of a dispatch that remembers nothing.
_REPEATING_FIELDS = frozenset({"from", "subject", "x-mailer", "x-mlserver"})
# A bound on the values remembered per field; past it the field starts over.
_MAX_VALUES = 1024

# A field's word tests (_FieldWords.tests) and the per-field plan of a
# dispatch: (field, tests, non-ASCII bits, twin bits, the bits of the values
# seen or None for a field whose values are not remembered).
_Tests = tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]
_Plan = tuple[tuple[str, _Tests, int, int, dict[str, int] | None], ...]


class _FieldWords:
    """The gate words looked for in one field, each with the word sets
    (bits) that it belongs to (built once, at the first message)."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.words: list[tuple[str, int]] = []
        # The sets of atoms whose words cannot rule out a non-ASCII value (a
        # word not in ASCII; any pattern's, when the value holds a case twin
        # of an ASCII letter): a non-ASCII value holds them all.
        self.non_ascii = 0
        self.twins = 0
        # The same words as tested: each word that holds no other, with the
        # bits of its sets and the words that hold it, tested only when it
        # is there ("mailer-daemon@" only where "daemon" is; ~40 % fewer tests).
        self.tests: _Tests = ()


# An atom as the dispatch reads it: the field's options (one of which the
# atom's passing needs), each the bits of the word sets it needs all of;
# (0,) when nothing rules the atom out.
_Options = tuple[int, ...]


class Dispatch(Generic[_F]):
    """The candidates for a message among `formats` (each with its format's
    gate, None for "always ask"), in their order.

    The tables are built on first use, not at import: ~3 ms at the first
    message, most of it the regex parser reading the words of the patterns
    that are not plain literal alternatives (`literal_words`).
    """

    def __init__(self, formats: tuple[_F, ...], gates: tuple[HeaderGate | None, ...]) -> None:
        self._formats = formats
        self._gates = gates
        # Per field: (name, _FieldWords.tests, .non_ascii, .twins), unpacked
        # as the loop goes (quicker than attributes of ~6 tables per message).
        self._plan: _Plan | None = None
        self._names: list[tuple[str, int]] = []
        # Per format, the bit sets one of which found whole lets its test pass
        # (its atoms' options: any of them, or for require_all one of each
        # atom's joined); 0 needs nothing.
        self._needs: list[tuple[int, ...]] = []
        self._answers: dict[int, tuple[_F, ...]] = {}

    def candidates(self, headers: Mapping[str, str]) -> tuple[_F, ...]:
        """The formats whose `matches(headers)` may be true, in registry order."""
        plan = self._plan
        if plan is None:
            plan = self._build()
        hits = 0
        get = headers.get
        for field, tests, non_ascii, twins, seen in plan:
            value = get(field)
            if not value:
                continue
            if seen is not None:
                known = seen.get(value)
                if known is not None:
                    hits |= known
                    continue
            sets = 0
            if not value.isascii():
                sets = non_ascii
                if not ASCII_CASE_TWINS.isdisjoint(value):
                    sets |= twins
            lower = value.lower()
            for word, bits, longer in tests:
                if word in lower:
                    sets |= bits
                    for holder, more in longer:
                        if holder in lower:
                            sets |= more
            if seen is not None:
                if len(seen) >= _MAX_VALUES:
                    seen.clear()
                seen[value] = sets
            hits |= sets
        for name, bit in self._names:
            if name in headers:
                hits |= bit
        found = self._answers.get(hits)
        if found is None:
            found = self._resolve(hits)
        return found

    def _resolve(self, hits: int) -> tuple[_F, ...]:
        """The formats whose test the word sets found (`hits`) do not rule out:
        those with a need all of whose bits are there."""
        found = []
        for fmt, needs in zip(self._formats, self._needs, strict=True):
            for need in needs:
                if hits & need == need:
                    found.append(fmt)
                    break
        answer = tuple(found)
        if len(self._answers) < _MAX_REMEMBERED:
            self._answers[hits] = answer
        return answer

    def _build(self) -> _Plan:
        """A bit per (field, word set); each field's words with the bits of their sets.

        Built into locals and published at the end, `_plan` last: the
        parser runs in worker threads, and one that finds no plan yet
        builds its own equal one rather than reading a half-built one.
        """
        bit_of: dict[tuple[str, frozenset[str]], int] = {}
        fields: dict[str, _FieldWords] = {}
        names: list[tuple[str, int]] = []
        all_needs: list[tuple[int, ...]] = []

        def bit(field: str, words: frozenset[str]) -> int:
            found = bit_of.get((field, words))
            if found is None:
                found = bit_of[(field, words)] = 1 << len(bit_of)
                if words:
                    table = fields.get(field) or fields.setdefault(field, _FieldWords(field))
                    for word in sorted(words):
                        table.words.append((word, found))
                else:  # a name's presence
                    names.append((field, found))
            return found

        for gate in self._gates:
            if gate is None or not gate.atoms:
                all_needs.append((0,))  # needs nothing: always asked
                continue
            tests: list[_Options] = []
            for atom in gate.atoms:
                if isinstance(atom, Present):
                    tests.append((bit(atom.field, frozenset()),))
                    continue
                options = _word_options(atom)
                needs = tuple(_union(bit(atom.field, c) for c in option) for option in options)
                if any(not need for need in needs):
                    needs = ()  # an option that needs no word: nothing rules the atom out
                tests.append(needs or (0,))
                if needs and isinstance(atom, Searched):
                    table = fields[atom.field]
                    every = _union(needs)
                    table.twins |= every
                    if not all(w.isascii() for o in options for c in o for w in c):
                        table.non_ascii |= every
            all_needs.append(_either(tests) if not gate.require_all else _each(tests))
        # One test per word: a word in several sets sets all their bits.
        for table in fields.values():
            merged: dict[str, int] = {}
            for word, b in table.words:
                merged[word] = merged.get(word, 0) | b
            table.words = list(merged.items())
            table.tests = _nested(table.words)
        plan: _Plan = tuple(
            (t.field, t.tests, t.non_ascii, t.twins, {} if t.field in _REPEATING_FIELDS else None)
            for t in fields.values()
        )
        self._names, self._needs = names, all_needs
        self._plan = plan
        return plan


# A bound on the joined needs of a require_all gate (the product of its
# atoms' option counts): an atom that would pass it is left out of the
# gate, which only lets the format be asked more often.
_MAX_JOINED = 64


def _either(atoms: list[_Options]) -> tuple[int, ...]:
    """Any atom passing: every option of every atom, each on its own."""
    return tuple(dict.fromkeys(need for options in atoms for need in options))


def _each(atoms: list[_Options]) -> tuple[int, ...]:
    """Every atom passing: one option of each, joined."""
    joined: tuple[int, ...] = (0,)
    for options in atoms:
        if len(joined) * len(options) > _MAX_JOINED:
            continue
        joined = tuple(dict.fromkeys(a | b for a in joined for b in options))
    return joined


def _union(bits: Iterable[int]) -> int:
    found = 0
    for b in bits:
        found |= b
    return found


def _nested(
    words: list[tuple[str, int]],
) -> tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]:
    """The words that hold no other, each with the words that hold it (a word
    holding several goes with the longest): a word is in a text only where
    every word it holds is."""
    shortest = [(w, b) for w, b in words if not any(o != w and o in w for o, _ in words)]
    longer: dict[str, list[tuple[str, int]]] = {w: [] for w, _ in shortest}
    for w, b in words:
        if w not in longer:
            longer[max((r for r, _ in shortest if r in w), key=len)].append((w, b))
    return tuple((w, b, tuple(longer[w])) for w, b in shortest)


def _word_options(atom: Searched | Contains) -> tuple[tuple[frozenset[str], ...], ...]:
    """The atom's options: the lower-case word sets, one word of each of
    which the field's lower case holds when the atom passes through that
    option (`lazy_pattern.required_options`, less sets of short words)."""
    if isinstance(atom, Contains):
        # A plain `in` (or `==`): the lower case holds the text's lower case.
        return ((frozenset({atom.text.lower()}),),) if atom.text else ((),)
    words = literal_words(atom.pattern.pattern, atom.pattern.flags)
    if words is not None:
        return tuple((frozenset({word}),) for word in sorted(words))
    options = atom.pattern.options()
    if not options:
        return ((),)
    # (An option's sets come strongest first: the first is kept in any case.)
    return tuple(
        (option[0], *(c for c in option[1:] if min(len(w) for w in c) >= _SHORTEST_WORD))
        for option in options
    )


__all__ = ["Atom", "Contains", "Dispatch", "HeaderGate", "Present", "Searched", "literal_words"]
