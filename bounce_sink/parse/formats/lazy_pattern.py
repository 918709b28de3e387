"""Format patterns compiled on first use, with a word test before a search.

The format modules hold ~140 patterns. Compiling them all at import cost a
one-message run ~15-40 ms, and most are never used in a run: a format's
failure-list patterns only when its header test passes. A case-insensitive
search of a message's text (a few KB) per pattern is most of a format's
cost when it reads the text; a substring test on the lower-case text for
the words the pattern cannot match without rules most of them out. (Short
texts, headers and diagnostics, are searched at once: there the regex
engine is quicker than a word test in Python.)"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from bounce_sink.parse.formats.lazy_pattern_words import (
    LEADS,
    LITERAL_WORDS,
    OPTIONS,
    PLAIN_WORDS,
)
from bounce_sink.parse.prose import has_case_twin

# The stdlib's own pattern parser (what re.compile uses); no public name.
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

# Non-ASCII characters that a case-insensitive pattern matches to an ASCII
# letter (KELVIN SIGN ~ k, LONG S ~ s, DOTLESS i and DOTTED I ~ i): a word
# holding one can match ASCII text that does not contain its lower case.
ASCII_CASE_TWINS = frozenset("\u212a\u017f\u0131\u0130")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_SHORT_TEXT = 256


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


def required_options(pattern: str, flags: int = 0) -> tuple[tuple[frozenset[str], ...], ...]:
    """`required_clauses` per alternative of the pattern's own alternation.

    A text the pattern matches holds, for one of the options, a word of
    each of its sets. A pattern whose outer level is an alternation
    ("has been delayed|delivery (?:is )?delayed|...") needs only one
    alternative's words, and one set for all of them would hold the
    weakest word of each ("delivery "); an option per alternative keeps
    their other words. () when some alternative needs no word at all.
    """
    items = _parsed(pattern, flags)
    return () if items is None else _options_of(items)


def _parsed(pattern: str, flags: int) -> list[tuple[Any, Any]] | None:
    try:
        return list(sre_parse.parse(pattern, flags))
    except re.error:
        return None


def _options_of(items: list[tuple[Any, Any]]) -> tuple[tuple[frozenset[str], ...], ...]:
    """`required_options` of a parsed pattern."""
    branches = [i for i, (op, _) in enumerate(items) if op is sre.BRANCH]
    if len(branches) != 1:
        clauses = tuple(_sequence_clauses(items))
        return (clauses,) if clauses else ()
    at = branches[0]
    # What the pattern needs besides its alternation; ANY keeps the literal
    # runs on either side apart.
    around = _sequence_clauses([*items[:at], (sre.ANY, None), *items[at + 1 :]])
    options = []
    for branch in items[at][1][1]:
        option = tuple(sorted({*around, *_sequence_clauses(list(branch))}, key=_order))
        if not option:
            return ()
        options.append(option)
    return tuple(options)


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
    return sorted(usable, key=_order)


def _order(clause: frozenset[str]) -> tuple[tuple[int, int], list[str]]:
    """Strongest first (longest shortest word, fewest words); then a fixed order."""
    return (-min(len(w) for w in clause), len(clause)), sorted(clause)


def leading_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """The lower-case texts one of which every match of a case-insensitive
    pattern begins with (after anchors and word boundaries, which match no
    text), read from the parsed pattern; None when some way through it
    begins otherwise, or the pattern is not case-insensitive.

    "(?:following\\s+address|could not be delivered to)" begins with
    "following" or "could not be delivered to": its first match starts at
    or after where the lower case of a text first holds one of them.
    """
    if not flags & re.IGNORECASE or flags & re.VERBOSE:
        return None
    items = _parsed(pattern, flags)
    return None if items is None else _leading_of(items)


def _leading_of(items: list[tuple[Any, Any]]) -> tuple[str, ...] | None:
    """`leading_literals` of a parsed case-insensitive pattern."""
    found = _leads(items)
    if not found or not all(w.isascii() and ASCII_CASE_TWINS.isdisjoint(w) for w in found):
        return None
    return tuple(sorted({w.lower() for w in found}))


def _leads(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The literal texts the sequence `items` begins with, or None."""
    at = 0
    while at < len(items) and items[at][0] is sre.AT:
        at += 1  # ^, \b, \A: zero width
    if at == len(items):
        return None
    op, av = items[at]
    if op is sre.LITERAL:
        run = []
        while at < len(items) and items[at][0] is sre.LITERAL:
            run.append(chr(items[at][1]))
            at += 1
        return ["".join(run)]
    if op is sre.SUBPATTERN:
        return _leads(list(av[-1]))
    if op is sre.BRANCH:
        out: list[str] = []
        for branch in av[1]:
            lead = _leads(list(branch))
            if lead is None:
                return None
            out += lead
        return out
    return None


# What a literal alternative may hold escaped: a backslash before an ASCII
# character that is neither a letter nor a digit stands for that character
# (re's rule), as in the hint \(state 13\) (~6 patterns never compiled now);
# any other backslash or metacharacter sends the pattern to the regex parser.
_ESCAPED_LITERALS = frozenset(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_METACHARACTERS = frozenset(".^$*+?{}[]()|\\")


def literal_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """`read_literal_words`, taken from `lazy_pattern_words.LITERAL_WORDS` for
    the patterns made at import (see `options`)."""
    key = (pattern, flags)
    if key in LITERAL_WORDS:
        words = LITERAL_WORDS[key]
        return None if words is None else frozenset(words)
    return read_literal_words(pattern, flags)


def read_literal_words(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The lower-case alternatives of a pattern that is only literal text
    ("mailer-daemon|mail delivery system", "^failure notice", "\\bfml\\b",
    "^(?:delivery failure|failed delivery)"), or None for any other pattern.

    Most header tests are such; their words read so cost nothing at the
    first message, where the regex parser (required_options) costs ~0.1 ms
    a pattern. A text such a pattern matches holds one alternative, up to
    case: its lower case holds that alternative's (an alternative with a
    case twin of an ASCII letter gives None: lower() would not equate them).
    """
    words = _alternatives(pattern.removeprefix("^"), flags, anchored=True)
    return None if words is None else frozenset(words)


def plain_words(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """`read_plain_words`, taken from `lazy_pattern_words.PLAIN_WORDS` for the
    patterns made at import (see `options`)."""
    key = (pattern, flags)
    if key in PLAIN_WORDS:
        return PLAIN_WORDS[key]
    return read_plain_words(pattern, flags)


def read_plain_words(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """The lower-case alternatives of a case-insensitive pattern that is
    only literal alternatives, with no anchor or word boundary anywhere
    ("over quota|mailbox is full", "mail\\.delivery\\.system@"); None for
    any other pattern.

    Such a pattern matches an ASCII text exactly where the text's lower
    case holds one of them (an alternative with a case twin of an ASCII
    letter gives None), and eight `in` tests of that lower case cost less
    than one case-insensitive search (~0.3 vs ~1-6 us on a diagnostic), and
    no compile at all.
    """
    if not flags & re.IGNORECASE:
        return None
    words = _alternatives(pattern, flags, anchored=False)
    return None if words is None else tuple(sorted(set(words)))


def _alternatives(pattern: str, flags: int, *, anchored: bool) -> list[str] | None:
    """The lower-case literal alternatives of the pattern (in one outer
    non-capturing group or none), or None; `anchored` lets each have ^ and
    \\b at its start, $ and \\b at its end."""
    if flags & re.VERBOSE:
        return None
    body = pattern
    if body.startswith("(?:") and body.endswith(")"):
        body = body[3:-1]
    words: list[str] = []
    for alternative in body.split("|"):
        word = _literal(alternative, anchored=anchored)
        if word is None:
            return None
        words.append(word.lower())
    return words


def _literal(alternative: str, *, anchored: bool = True) -> str | None:
    """The text an alternative matches when it is literal (with `anchored`,
    anchors and word boundaries at its ends aside), else None."""
    text = alternative
    if anchored:
        text = text.removeprefix("^").removeprefix("\\b")
        if text.endswith("\\$"):
            return None
        text = text.removesuffix("$")
        if text.endswith("\\b") and not text.endswith("\\\\b"):
            text = text[:-2]
    out: list[str] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char == "\\" and text[at + 1 : at + 2] in _ESCAPED_LITERALS and at + 1 < len(text):
            out.append(text[at + 1])
            at += 2
            continue
        if char in _METACHARACTERS:
            return None
        out.append(char)
        at += 1
    word = "".join(out)
    if not word or not ASCII_CASE_TWINS.isdisjoint(word):
        return None
    return word


class LazyPattern:
    """`re.compile(pattern, flags)`, done the first time a method is used on
    a text that may hold a match.

    The first call puts the compiled pattern's own bound methods on the
    instance, where they hide the methods below, so later calls cost what a
    compiled pattern's do. (No `__getattr__`: a class with one makes every
    attribute lookup on its instances slower.) Until then a call on a text
    that lacks the words every match holds (`may_match`) answers "no match"
    without compiling: ~9 of the patterns a cold corpus run used were only
    ever asked about such texts (~1.5 ms of compiling), and a one-message run
    asks most of its patterns once. Once compiled, no word test is made.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._options: tuple[tuple[frozenset[str], ...], ...] | None = None  # read on first use
        # plain_words, read at the first found_in: () for a pattern that is not plain.
        self._plain: tuple[str, ...] | None = None
        self._ascii_words = False
        self._words_and_sets: tuple[tuple[str, ...], tuple[tuple[frozenset[str], ...], ...]] = (
            (),
            (),
        )
        # leading_literals, read with the options (one parse) when the first
        # to ask for those is gated_search given a lower case (the failure
        # lists' headings): () for none, or not read.
        self._leads: tuple[str, ...] = ()

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

    # The methods below run only before the pattern is compiled. A text the
    # pattern cannot match anywhere cannot hold a match in any slice of it
    # either, so each answers as the compiled pattern would with no match.

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if not self.may_match(string):
            return None
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if not self.may_match(string):
            return None
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        if not self.may_match(string):
            return None
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if not self.may_match(string):
            return iter(())
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        if not self.may_match(string):
            return []
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        if not self.may_match(string):
            return string
        return self.compiled().sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        if not self.may_match(string):
            return [string]
        return self.compiled().split(string, maxsplit)

    def options(self, *, leads: bool = False) -> tuple[tuple[frozenset[str], ...], ...]:
        """`required_options` of the pattern, read once (for may_match and
        the registry's dispatch); with `leads`, `leading_literals` too.

        For the patterns made at import both are taken from
        `lazy_pattern_words` (generated by this module: reading ~70 patterns
        with the regex parser cost ~9 ms of a cold corpus run); a pattern
        not there (new, or changed since) is read here."""
        options = self._options
        if options is None:
            key = (self.pattern, self.flags)
            if key in OPTIONS:
                options = tuple(tuple(map(frozenset, option)) for option in OPTIONS[key])
                if leads:
                    self._leads = LEADS[key]
            else:
                options, found = read_options(self.pattern, self.flags)
                if leads:
                    self._leads = found
            # The options of one set need any of its words: one flat word
            # list for them all, the others tested set by set. Stored before
            # _options, which says they are there (the parser runs in threads).
            single = {w for option in options if len(option) == 1 for w in option[0]}
            self._words_and_sets = (
                tuple(sorted(single)),
                tuple(option for option in options if len(option) > 1),
            )
            self._ascii_words = all(w.isascii() for o in options for c in o for w in c)
            self._options = options
        return options

    def may_match(self, text: str, lower: str | None = None) -> bool:
        """False when the text lacks the words every option of
        `required_options` needs: then the pattern cannot match it.

        Lower case is what the case-insensitive pattern compares for ASCII
        words, unless the text holds one of `ASCII_CASE_TWINS` (then, or
        when a word is not ASCII, this says True and the search decides).
        `lower`, when given, is `text.lower()` (a reader that has it spares
        the copy).
        """
        options = self._options
        if options is None:
            options = self.options()
        if options and (text.isascii() or (self._ascii_words and not has_case_twin(text))):
            if lower is None:
                lower = text.lower()
            words, sets = self._words_and_sets
            for word in words:
                if word in lower:
                    return True
            for option in sets:  # noqa: SIM110 - a loop; any(genexpr) costs more here
                if _holds(lower, option):
                    return True
            return False
        return True

    def found_in(self, text: str, short: int = _SHORT_TEXT) -> bool:
        """`self.search(text) is not None`, searched only when `may_match`.

        A short text (a header, a diagnostic; up to `short` characters) is
        searched at once: a search of ~100 characters costs less than the
        word test in Python. A pattern of plain words (`plain_words`) is
        never compiled for an ASCII text: its lower case holding one of the
        words is the answer.
        """
        plain = self._plain
        if plain is None:
            plain = self._plain = plain_words(self.pattern, self.flags) or ()
        if plain and text.isascii():
            lower = text.lower()
            for word in plain:  # noqa: SIM110 - a loop; any(genexpr) costs more here
                if word in lower:
                    return True
            return False
        if len(text) <= short:
            return self.search(text) is not None
        return self.may_match(text) and self.search(text) is not None

    def gated_search(self, text: str, lower: str | None = None) -> re.Match[str] | None:
        """`self.search(text)`, searched only when `may_match` (`lower` as there).

        Given `lower`, a pattern whose matches all begin with one of
        `leading_literals` is searched from the first place one of them
        starts (a failure list's heading lies ~1 KB into the text, and the
        case-insensitive search tried every position before it: ~15 us).
        That is where the search would first match at the earliest, when
        lower case is what it compares there: for a text without a case
        twin of an ASCII letter, lowered position for position.
        """
        if lower is not None and self._options is None:
            self.options(leads=True)
        if not self.may_match(text, lower):
            return None
        leads = self._leads
        if (
            leads
            and lower is not None
            and len(lower) == len(text)
            and (text.isascii() or not has_case_twin(text))
        ):
            first = -1
            for lead in leads:
                at = lower.find(lead) if first < 0 else lower.find(lead, 0, first + len(lead) - 1)
                if at >= 0:
                    first = at
            return self.search(text, first) if first >= 0 else None
        return self.search(text)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


def read_options(
    pattern: str, flags: int
) -> tuple[tuple[tuple[frozenset[str], ...], ...], tuple[str, ...]]:
    """`required_options` and, for a case-insensitive pattern, its
    `leading_literals` (() for none), from one parse: what
    `LazyPattern.options` reads and `lazy_pattern_words` keeps."""
    items = _parsed(pattern, flags)
    if items is None:
        return (), ()
    leads = _leading_of(items) or () if flags & re.IGNORECASE else ()
    return _options_of(items), leads


def _holds(lower: str, option: tuple[frozenset[str], ...]) -> bool:
    """Whether `lower` holds a word of every set of the option."""
    for clause in option:
        for word in clause:
            if word in lower:
                break
        else:
            return False
    return True


def made_patterns() -> list[LazyPattern]:
    """Every LazyPattern the parse package makes at import, in a fixed order
    (each module under bounce_sink.parse imported, then the live instances)."""
    import gc
    import pkgutil

    import bounce_sink.parse as package

    for module in pkgutil.walk_packages(package.__path__, "bounce_sink.parse."):
        importlib.import_module(module.name)
    found = {(p.pattern, p.flags): p for p in gc.get_objects() if isinstance(p, LazyPattern)}
    return [found[key] for key in sorted(found)]


def write_pattern_words() -> None:
    """Print `lazy_pattern_words.py` for the patterns made now (`made_patterns`).

    Not a ``__main__`` block: run with ``-m`` this file would be a second
    module beside the imported one, and its class not that of the patterns.
    """
    print(render_pattern_words(made_patterns()), end="")


def render_pattern_words(patterns: list[LazyPattern]) -> str:
    """The source of `lazy_pattern_words.py` for these patterns."""
    keys = sorted({(p.pattern, int(p.flags)) for p in patterns})
    read = {key: read_options(*key) for key in keys}
    lines = [
        '"""Generated by bounce_sink.parse.formats.lazy_pattern: what each format pattern needs.',
        "",
        "The words `LazyPattern.options` reads from a pattern (its options and",
        "leads) and `plain_words` / `literal_words` give, for every pattern the",
        "parse package makes at import, keyed by (pattern, re flags: 2 IGNORECASE,",
        "8 MULTILINE, 16 DOTALL), so a run does not parse them with the regex",
        "parser. A pattern not here is read at run time. Regenerate (through another",
        "file: the generator imports this one, so writing it in place empties it",
        "before it is read):",
        "    .venv/bin/python -c 'import bounce_sink.parse.formats.lazy_pattern as m;\\",
        "        m.write_pattern_words()' > /tmp/lazy_pattern_words.py",
        "    mv /tmp/lazy_pattern_words.py bounce_sink/parse/formats/lazy_pattern_words.py",
        "    .venv/bin/ruff format bounce_sink/parse/formats/lazy_pattern_words.py",
        '"""',
        "",
        "# required_options: per option, its word sets (strongest first), each sorted.",
        "OPTIONS: dict[tuple[str, int], tuple[tuple[tuple[str, ...], ...], ...]] = {",
    ]
    for key in keys:
        options = tuple(tuple(tuple(sorted(c)) for c in option) for option in read[key][0])
        lines.append(f"    {key!r}: {options!r},")
    lines += [
        "}",
        "",
        "# leading_literals of the case-insensitive ones (() for none).",
        "LEADS: dict[tuple[str, int], tuple[str, ...]] = {",
    ]
    lines += [f"    {key!r}: {read[key][1]!r}," for key in keys]
    lines += [
        "}",
        "",
        "# read_plain_words.",
        "PLAIN_WORDS: dict[tuple[str, int], tuple[str, ...] | None] = {",
    ]
    lines += [f"    {key!r}: {read_plain_words(*key)!r}," for key in keys]
    lines += [
        "}",
        "",
        "# read_literal_words, sorted.",
        "LITERAL_WORDS: dict[tuple[str, int], tuple[str, ...] | None] = {",
    ]
    for key in keys:
        words = read_literal_words(*key)
        lines.append(f"    {key!r}: {None if words is None else tuple(sorted(words))!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


__all__ = [
    "ASCII_CASE_TWINS",
    "LazyPattern",
    "leading_literals",
    "literal_words",
    "plain_words",
    "required_clauses",
    "required_options",
    "required_words",
]
