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
from collections.abc import Callable
from typing import Any

from bounce_sink.classify.gate_words import CLAUSES, EXTRA_CLAUSES
from bounce_sink.classify.word_scan import choose_keys

# The stdlib's own pattern parser (what re.compile uses); no public name.
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_clauses(regex: str) -> tuple[frozenset[str], ...] | None:
    """Sets of strings such that every match of `regex` contains a string of
    each set (strongest set first), or None when nothing is known.

    Read from `gate_words.CLAUSES` when the pattern is there (reading costs
    ~0.1 ms a pattern, a tenth of a one-file run for all of them), else
    from the pattern itself. A pattern changed since the file was written
    is simply not found there, so the file can be stale but never wrong.
    """
    if regex in CLAUSES:
        cached = CLAUSES[regex]
        return None if cached is None else tuple(frozenset(c) for c in cached)
    return read_clauses(regex)


def read_clauses(regex: str) -> tuple[frozenset[str], ...] | None:
    """`required_clauses`, read from the parsed pattern."""
    try:
        parsed = sre_parse.parse(regex)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    clauses = _clauses(list(parsed))
    if not clauses:
        return None
    return tuple(sorted(set(clauses), key=lambda c: (_strength(c), sorted(c)), reverse=True))


def required_words(regex: str) -> frozenset[str] | None:
    """Strings one of which every match of `regex` contains, or None when unknown."""
    clauses = required_clauses(regex)
    return clauses[0] if clauses else None


def _strength(words: frozenset[str]) -> tuple[int, int]:
    # The set whose shortest word is longest rules out the most texts.
    return (min(len(w) for w in words), -len(words))


def _of_sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    clauses = _clauses(items)
    return max(clauses, key=_strength) if clauses else None


_Items = list[tuple[Any, Any]]


def _clauses(items: _Items) -> list[frozenset[str]]:
    """What a match of this sequence must contain: one string of each set."""

    def strongest(sub: _Items) -> list[frozenset[str]]:
        found = _of_sequence(sub)
        return [found] if found else []

    def pooled(branches: list[_Items]) -> list[frozenset[str]]:
        strongest_each = [_of_sequence(b) for b in branches]
        if not all(strongest_each):
            return []  # a branch that needs nothing known: neither does the whole
        return [frozenset().union(*(b for b in strongest_each if b is not None))]

    return _walk(items, strongest, pooled)


def _walk(
    items: _Items,
    read_sub: Callable[[_Items], list[frozenset[str]]],
    read_branches: Callable[[list[_Items]], list[frozenset[str]]],
) -> list[frozenset[str]]:
    """The sets of a sequence: each run of literals, and what `read_sub` finds in
    a group or a repeat that must occur and `read_branches` in an alternation.

    Zero-width items (\\b, ^, $) keep the characters around them adjacent; a
    case-insensitive group is left out (its literals stand for other cases too).
    """
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if op is sre.AT:
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, pattern = av
            if not add_flags & re.IGNORECASE:
                candidates += read_sub(list(pattern))
        elif op is sre.BRANCH:
            candidates += read_branches([list(b) for b in av[1]])
        elif op in _REPEATS:
            low, _high, pattern = av
            if low >= 1:
                candidates += read_sub(list(pattern))
    if run:
        candidates.append(frozenset({"".join(run)}))
    return candidates


def extra_clauses(regex: str) -> tuple[frozenset[str], ...]:
    """Sets of strings every match of `regex` holds one of, besides its `required_clauses`.

    Tested on the text itself (substring tests), not through the word scan,
    so they add no word for the scan to look for. Only read from
    `gate_words.EXTRA_CLAUSES`, which lists the patterns that have some:
    a pattern missing there (new, or a stale file) is searched without
    them, which costs time only, never a match.
    """
    return tuple(frozenset(c) for c in EXTRA_CLAUSES.get(regex, ()))


_EXTRA_LENGTH = 3  # of the shortest word of an extra set: "a" or " " passes nearly every text
_MAX_EXTRA = 2


def read_extra_clauses(regex: str) -> tuple[frozenset[str], ...]:
    """`extra_clauses`, read from the parsed pattern.

    The reading of `required_clauses` keeps one set per alternation (each
    branch's strongest, pooled); a match of the alternation also holds a
    string of any other choice of one set per branch. For
    ``\\bspf\\b.*\\bfail\\b|\\bbad spf\\b`` that adds {"spf", "bad"}: a text
    that says "failed" but never "spf" is not searched.
    """
    try:
        parsed = sre_parse.parse(regex)
    except re.error:
        return ()
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ()
    known = set(required_clauses(regex) or ())
    found = sorted(
        {c for c in _all_clauses(list(parsed)) if c not in known},
        key=lambda c: (_strength(c), sorted(c)),
        reverse=True,
    )
    useful = [c for c in found if min(map(len, c)) >= _EXTRA_LENGTH]
    return tuple(useful[:_MAX_EXTRA])


def _all_clauses(items: _Items) -> list[frozenset[str]]:
    """Like `_clauses`, keeping every set of a group and several of an alternation."""
    return _walk(items, _all_clauses, _of_branches)


def _of_branches(branches: list[list[tuple[Any, Any]]]) -> list[frozenset[str]]:
    """Pooled sets of an alternation: the j-th takes each branch's j-th strongest
    set (its weakest when it has fewer); whichever branch matched holds a
    string of the set it gave."""
    per_branch = []
    for branch in branches:
        clauses = set(_all_clauses(branch))
        if not clauses:
            return []  # a branch that needs nothing known: neither does the whole
        per_branch.append(sorted(clauses, key=lambda c: (_strength(c), sorted(c)), reverse=True))
    depth = max(len(c) for c in per_branch)
    return [frozenset().union(*(c[min(j, len(c) - 1)] for c in per_branch)) for j in range(depth)]


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
    A gate on one pattern checks every set of words that pattern needs; a
    gate on several, one pooled set (any of their words).

    Through the word scan (`allows_present`), only the first (strongest) set
    is asked of the scan; the sets after it are tested on the text itself
    (`direct_clauses`): the scan would test their words on every text (many
    are common: "the ", "mail", "address"), while only the few texts that
    pass the first set ask.
    """

    __slots__ = ("_clauses", "_direct", "_first", "_parts", "_read", "_regexes")

    def __init__(self, regexes: list[str], parts: tuple[Gate, ...] = ()) -> None:
        self._regexes = regexes
        self._parts = parts  # or: open when any of these gates is (their words, pooled)
        self._clauses: tuple[frozenset[str], ...] | None = None
        # The first of `_clauses` (None: not known) and the rest of them.
        self._first: frozenset[str] | None = None
        self._direct: tuple[frozenset[str], ...] = ()
        self._read = False

    @classmethod
    def any_of(cls, gates: tuple[Gate, ...]) -> Gate:
        """Open when any of `gates` is; reads each pattern once, through them."""
        return cls([], gates)

    def _read_patterns(self) -> None:
        if self._parts:
            words = _pooled(self._parts)
            self._clauses = None if words is None else (words,)
        elif len(self._regexes) == 1:
            self._clauses = required_clauses(self._regexes[0])
        else:
            words = any_required(self._regexes)
            self._clauses = None if words is None else (words,)
        if self._clauses is not None:
            self._first, *rest = self._clauses
            self._direct = tuple(rest)
        self._read = True

    @property
    def words(self) -> frozenset[str] | None:
        """Strings one of which any match contains (None: not known)."""
        if not self._read:
            self._read_patterns()
        return self._first

    @property
    def clauses(self) -> tuple[frozenset[str], ...] | None:
        """Sets of strings a match contains one of each (None: not known)."""
        if not self._read:
            self._read_patterns()
        return self._clauses

    @property
    def scanned_clauses(self) -> tuple[frozenset[str], ...] | None:
        """The sets `allows_present` asks the word scan about (None: not known)."""
        if not self._read:
            self._read_patterns()
        return None if self._first is None else (self._first,)

    @property
    def direct_clauses(self) -> tuple[frozenset[str], ...]:
        """The sets `allows_present` tests on the text itself."""
        if not self._read:
            self._read_patterns()
        return self._direct

    def allows_present(self, present: frozenset[str], text: str) -> bool:
        """`allows(text)`, given the words of this gate's `scanned_clauses` that
        `text` contains (one scan of the text serves every gate)."""
        if not self._read:
            self._read_patterns()
        first = self._first
        if first is None:
            return True
        if first.isdisjoint(present):
            return False
        for words in self._direct:  # noqa: SIM110 - as in `allows`
            if not any(map(text.__contains__, words)):
                return False
        return True

    def allows(self, text: str) -> bool:
        """False only when no text like this one can match any of the patterns."""
        if not self._read:
            self._read_patterns()
        clauses = self._clauses
        if clauses is None:
            return True
        for words in clauses:  # noqa: SIM110 - a loop; all(genexpr) costs more here
            if not any(map(text.__contains__, words)):
                return False
        return True


def _pooled(gates: tuple[Gate, ...]) -> frozenset[str] | None:
    words: set[str] = set()
    for gate in gates:
        if gate.words is None:
            return None
        words |= gate.words
    return frozenset(words)


def render_gate_words(
    regexes: list[str],
    rule_regexes: list[str] | None = None,
    searched: list[str] | None = None,
    host_regexes: list[str] | None = None,
    whole_regexes: list[str] | None = None,
    texts: list[str] | None = None,
) -> str:
    """The source of `gate_words.py` for these patterns (`rule_regexes`: the
    text rules' own, whose `rule_branches` cuts it keeps too; `searched`:
    those `searcher` and `whole_test` are asked about, whose literal words it
    keeps; `host_regexes`: the providers' host patterns, with their names;
    `whole_regexes`: their status and domain patterns, with their values;
    `texts`: the sample diagnostics the scan's pieces are chosen over)."""
    from bounce_sink.classify.rules.model import (
        branch_cuts,
        host_suffixes,
        read_literal_words,
        read_whole_values,
    )

    lines = [
        '"""Generated by bounce_sink.classify.required_text: the words each rule pattern needs.',
        "",
        "A cache of `read_clauses` for the patterns of the rule table, so that a",
        "short run does not parse them all (see `required_clauses`), of the",
        "piece each of those words is filed under in `word_scan`, and of where",
        "`rules.model.rule_branches` cuts each text rule's pattern. Regenerate (through",
        "another file: the generator imports this one, so writing it in place empties",
        "it before it is read):",
        "    .venv/bin/python -m bounce_sink.classify.required_text > /tmp/gate_words.py",
        "    mv /tmp/gate_words.py bounce_sink/classify/gate_words.py",
        "    .venv/bin/ruff format bounce_sink/classify/gate_words.py",
        '"""',
        "",
        "CLAUSES: dict[str, tuple[tuple[str, ...], ...] | None] = {",
    ]
    for regex in sorted(set(regexes)):
        clauses = read_clauses(regex)
        value = None if clauses is None else tuple(tuple(sorted(c)) for c in clauses)
        lines.append(f"    {regex!r}: {value!r},")
    lines.append("}")
    lines += [
        "",
        "# read_extra_clauses of the same patterns, where it finds some.",
        "EXTRA_CLAUSES: dict[str, tuple[tuple[str, ...], ...]] = {",
    ]
    for regex in sorted(set(regexes)):
        extra = tuple(tuple(sorted(c)) for c in read_extra_clauses(regex))
        if extra:
            lines.append(f"    {regex!r}: {extra!r},")
    lines.append("}")
    lines += [
        "",
        "# word_scan.choose_keys of the words above, over the fixtures' diagnostics",
        "# (sample_texts): where each word's two scan pieces start in it.",
        "SCAN_KEYS: dict[str, tuple[int, int]] = {",
    ]
    keys = choose_keys(gate_vocabulary(regexes), texts or ())
    lines += [f"    {w!r}: {keys[w]!r}," for w in sorted(keys)]
    lines.append("}")
    lines += [
        "",
        "# rules.model.branch_cuts of the text rules' patterns: where rule_branches",
        "# cuts each into its alternatives (empty: kept whole).",
        "BRANCH_CUTS: dict[str, tuple[int, ...]] = {",
    ]
    lines += [f"    {r!r}: {branch_cuts(r)!r}," for r in sorted(set(rule_regexes or ()))]
    lines.append("}")
    lines += [
        "",
        "# rules.model.read_literal_words of the patterns searcher and whole_test are",
        "# asked about: the (string, boundary before, boundary after) each stands for",
        "# (None: compiled).",
        "LITERAL_WORDS: dict[str, tuple[tuple[str, bool, bool], ...] | None] = {",
    ]
    lines += [f"    {r!r}: {read_literal_words(r)!r}," for r in sorted(set(searched or ()))]
    lines.append("}")
    lines += [
        "",
        "# rules.model.host_suffixes of the providers' host patterns (None: compiled).",
        "HOST_SUFFIXES: dict[str, tuple[str, ...] | None] = {",
    ]
    lines += [f"    {r!r}: {host_suffixes(r)!r}," for r in sorted(set(host_regexes or ()))]
    lines.append("}")
    lines += [
        "",
        "# rules.model.read_whole_values of the providers' status and domain patterns",
        "# (None: compiled).",
        "WHOLE_VALUES: dict[str, tuple[str, ...] | None] = {",
    ]
    lines += [f"    {r!r}: {read_whole_values(r)!r}," for r in sorted(set(whole_regexes or ()))]
    lines.append("}")
    return "\n".join(lines) + "\n"


def gate_vocabulary(regexes: list[str]) -> set[str]:
    """Every word of every set these patterns need (what SCAN_KEYS is chosen over)."""
    return {w for regex in set(regexes) for c in (read_clauses(regex) or ())[:1] for w in c}


def sample_texts() -> list[str]:
    """The normalised diagnostics of the repository's fixture messages: the
    sample of real bounce texts `SCAN_KEYS` is chosen over (only the scan's
    speed depends on it). Read by the generator alone, never at run time."""
    from pathlib import Path

    from bounce_sink.classify.evidence import Evidence
    from bounce_sink.parse import parse_message

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    found: list[str] = []
    for path in sorted(fixtures.rglob("*.eml")):
        report = parse_message(path.read_bytes())
        found += [Evidence.of(r, report).text for r in report.recipients]
    return [text for text in found if text]


def table_patterns() -> list[str]:
    from bounce_sink.classify.providers import PROVIDERS
    from bounce_sink.classify.rules.model import rule_branches
    from bounce_sink.classify.table import TEXT_RULES

    found = [r.regex for r in TEXT_RULES]
    found += [b for r in TEXT_RULES for b in rule_branches(r.regex)]
    found += [p.hosts for p in PROVIDERS] + [p.markers for p in PROVIDERS if p.markers]
    found += [r.regex for p in PROVIDERS for r in p.rules if r.regex]
    return found


def text_rule_patterns() -> list[str]:
    from bounce_sink.classify.table import TEXT_RULES

    return [r.regex for r in TEXT_RULES]


def searched_patterns() -> list[str]:
    """Every pattern of the table `rules.model.searcher` is asked about: the
    text rules' alternatives, the signatures, the provider rules' texts."""
    from bounce_sink.classify.providers import PROVIDERS
    from bounce_sink.classify.rules.model import rule_branches
    from bounce_sink.classify.table import TEXT_RULES

    found = [b for r in TEXT_RULES for b in rule_branches(r.regex)]
    found += [p.markers for p in PROVIDERS if p.markers]
    found += [r.regex for p in PROVIDERS for r in p.rules if r.regex]
    return found


def whole_patterns() -> list[str]:
    """The provider rules' status and domain patterns (`rules.model.whole_test`)."""
    from bounce_sink.classify.providers import PROVIDERS

    rules = [r for p in PROVIDERS for r in p.rules]
    return [r.status_regex for r in rules if r.status_regex] + [
        r.domain_regex for r in rules if r.domain_regex
    ]


def host_patterns() -> list[str]:
    from bounce_sink.classify.providers import PROVIDERS

    return [p.hosts for p in PROVIDERS]


if __name__ == "__main__":
    print(
        render_gate_words(
            table_patterns(),
            text_rule_patterns(),
            searched_patterns(),
            host_patterns(),
            whole_patterns(),
            sample_texts(),
        ),
        end="",
    )
