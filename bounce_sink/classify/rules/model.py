"""The shapes of a rule: named, data-only, each pattern compiled once, on first use.

A rule is a value, not a function, so the whole table can be listed, tested
for unique names and shown to an admin. Every rule's `name` is what gets
stored with a result, so it must stay stable across releases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from bounce_sink.classify.gate_words import (
    BRANCH_CUTS,
    HOST_SUFFIXES,
    LITERAL_WORDS,
    WHOLE_VALUES,
)


@functools.cache
def compiled(regex: str) -> re.Pattern[str]:
    """`regex` compiled, once per process, on first use."""
    return re.compile(regex)


# Characters with a meaning in a pattern (outside a character set).
_SPECIAL = frozenset("\\.^$*+?{}[]()|")

# One alternative of a plain pattern: its text, and whether ``\\b`` comes
# before and after it.
PlainWord = tuple[str, bool, bool]


def plain_alternatives(regex: str) -> tuple[PlainWord, ...] | None:
    """The alternatives of a pattern that is only literal text, or None.

    A plain pattern is ``word|word...`` where a word is literal characters
    (punctuation may be escaped: ``\\.``), optionally with ``\\b`` at either
    end, and is never empty. ~30 of the rule patterns are that shape; they
    are answered by `plain_search` instead of compiling (each compile
    ~30-70 us of a cold run). Anything else (classes, repeats, groups,
    anchors, inline flags, other escapes) gives None and is compiled.
    """
    found: list[PlainWord] = []
    for piece in regex.split("|"):
        chars: list[str] = []
        lead = trail = False
        i, end = 0, len(piece)
        while i < end:
            c = piece[i]
            if c == "\\":
                if i + 1 >= end:
                    return None
                nxt = piece[i + 1]
                if nxt == "b" and i == 0:
                    lead = True
                elif nxt == "b" and i + 2 == end and chars:
                    trail = True
                elif nxt.isascii() and not nxt.isalnum():
                    chars.append(nxt)  # escaped punctuation stands for itself
                else:
                    return None
                i += 2
                continue
            if c in _SPECIAL:
                return None
            chars.append(c)
            i += 1
        if not chars:
            return None
        found.append(("".join(chars), lead, trail))
    return tuple(found)


def _word_char(c: str) -> bool:
    # What ``\\b`` counts as a word character in a str pattern (Unicode:
    # sre's SRE_UNI_IS_WORD is Py_UNICODE_ISALNUM or '_', as str.isalnum).
    return c.isalnum() or c == "_"


def _boundary(text: str, at: int) -> bool:
    before = at > 0 and _word_char(text[at - 1])
    after = at < len(text) and _word_char(text[at])
    return before != after


def plain_search(alternatives: tuple[PlainWord, ...], text: str) -> bool:
    """Whether `text` holds one of `plain_alternatives`' words, with its boundaries."""
    for word, lead, trail in alternatives:
        at = text.find(word)
        while at >= 0:
            if (not lead or _boundary(text, at)) and (not trail or _boundary(text, at + len(word))):
                return True
            at = text.find(word, at + 1)
    return False


# At most this many strings stand for a pattern in `literal_expansion`: each
# is one `str.find` per search, so a long list would cost more per search
# than the compiled pattern (~0.1-0.3 ms to compile, once).
MAX_EXPANSION = 16
# A whole value is tested by one set lookup however many strings there are
# (`whole_test`): a provider's status pattern may stand for ~60.
MAX_WHOLE_VALUES = 256
# The widest range a set may hold (``0-9`` is 10 characters).
_MAX_RANGE = 64

# The tokens of a pattern `literal_expansion` reads: one character, or a
# character set (a string of its members), or these.
_BOUNDARY, _OPEN, _CLOSE, _BAR, _OPTIONAL = range(5)
_Token = str | int


def _tokens(regex: str) -> list[_Token] | None:
    """`regex` as literal characters, plain sets, ``\\b``, ``(?:``, ``)``, ``|``
    and ``?``, or None when it holds anything else."""
    found: list[_Token] = []
    i, end = 0, len(regex)
    while i < end:
        c = regex[i]
        if c == "\\":
            nxt = regex[i + 1 : i + 2]
            if nxt == "b":
                found.append(_BOUNDARY)
            elif nxt and nxt.isascii() and not nxt.isalnum():
                found.append(nxt)  # escaped punctuation stands for itself
            else:
                return None
            i += 2
        elif c == "(":
            if not regex.startswith("(?:", i):
                return None
            found.append(_OPEN)
            i += 3
        elif c == "[":
            close = regex.find("]", i + 2)  # a "]" first in the set is a member
            members = regex[i + 1 : close]
            if close < 0 or members[:1] == "^" or "\\" in members or "[" in members:
                return None
            chars = _set_members(members)
            if chars is None:
                return None
            found.append("[" + chars)
            i = close + 1
        elif c in _SPECIAL and c not in "()|?[":
            return None
        else:
            if c == "?" and (not found or found[-1] in (_OPTIONAL, _OPEN, _BAR, _BOUNDARY)):
                return None  # a lazy repeat, or nothing to make optional
            found.append({")": _CLOSE, "|": _BAR, "?": _OPTIONAL}.get(c, c))
            i += 1
    return found


def _set_members(members: str) -> str | None:
    """The characters of a set's members (no escape, "[" or "^" among them),
    its ranges spelt out as re reads them: ``0-9``, ``1-4``; a "-" first,
    last or just after a range stands for itself. None for a reversed or
    very wide range, or a doubled "-", "&", "~" or "|" (re warns that those
    may mean set operations one day)."""
    if any(twice in members for twice in ("--", "&&", "~~", "||")):
        return None
    chars: list[str] = []
    i = 0
    while i < len(members):
        if i + 2 < len(members) and members[i + 1] == "-":
            low, high = ord(members[i]), ord(members[i + 2])
            if low > high or high - low >= _MAX_RANGE:
                return None
            chars += map(chr, range(low, high + 1))
            i += 3
        else:
            chars.append(members[i])
            i += 1
    return "".join(chars)


def _expand(
    tokens: list[_Token], at: int, limit: int = MAX_EXPANSION
) -> tuple[set[str], int] | None:
    """The strings of the alternation starting at `at`, and where it ends
    (at a `_CLOSE` or the end); None past `limit` strings or on a ``\\b``."""
    alternatives: set[str] = set()
    sequence = {""}
    while at < len(tokens):
        token = tokens[at]
        if token == _CLOSE:
            break
        if token == _BAR:
            alternatives |= sequence
            sequence = {""}
            at += 1
            continue
        if token == _OPEN:
            inner = _expand(tokens, at + 1, limit)
            if inner is None or inner[1] >= len(tokens):
                return None  # too many, or a group never closed
            atom, at = inner[0], inner[1] + 1
        elif isinstance(token, str):
            atom = set(token[1:]) if token[0] == "[" and len(token) > 1 else {token}
            at += 1
        else:
            return None  # a boundary inside, or "?" with nothing before it
        if at < len(tokens) and tokens[at] == _OPTIONAL:
            atom = atom | {""}
            at += 1
        sequence = {head + tail for head in sequence for tail in atom}
        if len(sequence) + len(alternatives) > limit:
            return None
    alternatives |= sequence
    if len(alternatives) > limit:
        return None
    return alternatives, at


def literal_expansion(regex: str, limit: int = MAX_EXPANSION) -> tuple[PlainWord, ...] | None:
    """The strings a pattern of a few literal strings stands for, or None.

    Such a pattern is built of literal characters, sets of them
    (``[- ]``), non-capturing groups of alternatives and ``?``, with ``\\b``
    only at the ends of its top-level alternatives: ``\\bover ?quota\\b``
    stands for "over quota" and "overquota", each with a boundary at both
    ends. Up to `limit` strings (`MAX_EXPANSION`), it is answered by
    `plain_search` like a plain pattern instead of being compiled (~40 of
    the rules' alternatives a cold corpus run compiled).
    """
    tokens = _tokens(regex)
    if tokens is None:
        return None
    found: list[PlainWord] = []
    start = 0
    for end in [*(i for i, t in enumerate(tokens) if t == _BAR and _depth(tokens, i) == 0), None]:
        branch = tokens[start:end]
        start = len(tokens) if end is None else end + 1
        lead = bool(branch) and branch[0] == _BOUNDARY
        trail = len(branch) > lead and branch[-1] == _BOUNDARY
        body = branch[lead : len(branch) - trail]
        expanded = _expand(body, 0, limit)
        if expanded is None or expanded[1] != len(body) or "" in expanded[0]:
            return None
        found += [(word, lead, trail) for word in sorted(expanded[0])]
        if len(found) > limit:
            return None
    return tuple(found)


def _depth(tokens: list[_Token], at: int) -> int:
    """How many groups are open before `tokens[at]`."""
    return sum(1 for t in tokens[:at] if t == _OPEN) - sum(1 for t in tokens[:at] if t == _CLOSE)


def read_literal_words(regex: str) -> tuple[PlainWord, ...] | None:
    """The strings `regex` stands for: `plain_alternatives`, else
    `literal_expansion` (None: neither reads it)."""
    alternatives = plain_alternatives(regex)
    return alternatives if alternatives is not None else literal_expansion(regex)


def literal_words(regex: str) -> tuple[PlainWord, ...] | None:
    """`read_literal_words`, taken from `gate_words.LITERAL_WORDS` for the
    rule table's patterns: reading them cost ~7 ms of every cold run (the
    token walk and the expansion of ~80 patterns), a tenth of classifying the
    corpus once. The entries are keyed by the pattern itself, so a pattern
    changed since the file was made is not found there and is read here."""
    if regex in LITERAL_WORDS:
        return LITERAL_WORDS[regex]
    return read_literal_words(regex)


@functools.cache
def searcher(regex: str) -> Callable[[str], object]:
    """A test of `regex` on a text (true when it is found), made on first use:
    `plain_search` for a plain pattern or one of a few literal strings
    (`literal_words`), else the compiled pattern's search."""
    alternatives = literal_words(regex)
    if alternatives is None:
        return compiled(regex).search
    return functools.partial(plain_search, alternatives)


def read_whole_values(regex: str) -> tuple[str, ...] | None:
    """The values a whole match of `regex` can be, sorted, when it stands for
    at most `MAX_WHOLE_VALUES` literal strings with no ``\\b`` (a provider's
    ``5\\.7\\.(?:509|515)`` or ``5\\.7\\.6[0-4][0-9]``); else None."""
    expansion = literal_expansion(regex, MAX_WHOLE_VALUES)
    if expansion is None or any(lead or trail for _word, lead, trail in expansion):
        return None
    return tuple(sorted({word for word, _lead, _trail in expansion}))


def whole_values(regex: str) -> tuple[str, ...] | None:
    """`read_whole_values`, taken from `gate_words.WHOLE_VALUES` for the
    providers' status and domain patterns (keyed by the pattern: one
    changed since is read here)."""
    if regex in WHOLE_VALUES:
        return WHOLE_VALUES[regex]
    return read_whole_values(regex)


@functools.cache
def whole_test(regex: str) -> Callable[[str], object]:
    """A test that a whole value is a match of `regex` (what ``match`` of
    ``(?:regex)\\Z`` says), made on first use: a set lookup when the pattern
    stands for literal strings (`whole_values`), else the compiled pattern's
    match."""
    values = whole_values(regex)
    if values is not None:
        return frozenset(values).__contains__
    return compiled(f"(?:{regex})\\Z").match


# How a provider's host pattern takes a name and its domains: the whole
# name, or a dot before the domain.
_HOST_LEAD = "(?:^|\\.)"


@functools.cache
def _marks() -> re.Pattern[str]:
    """What `top_level_branches` looks at: an escape, a whole character set
    (a "]" first in it is a member, and it may hold "|", "(" or ")"), or a
    group or alternation mark. Compiled on first use."""
    return re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|[()|]", re.DOTALL)


def top_level_branches(regex: str) -> list[str]:
    """`regex` split at the ``|`` that are outside any group and character set
    (escapes kept)."""
    return _cut(regex, top_level_bars(regex))


def top_level_bars(regex: str) -> tuple[int, ...]:
    """The positions in `regex` of the ``|`` outside any group and character
    set. The marks are found by one regex scan rather than a Python loop over
    every character (~15 us a rule pattern, ~2 ms for the table on a cold run)."""
    bars: list[int] = []
    depth = 0
    for mark in _marks().finditer(regex):
        found = mark.group()
        if found == "(":
            depth += 1
        elif found == ")":
            depth -= 1
        elif found == "|" and depth == 0:
            bars.append(mark.start())
    return tuple(bars)


def _cut(regex: str, bars: tuple[int, ...]) -> list[str]:
    """`regex` cut at these positions (each a ``|``, left out)."""
    branches: list[str] = []
    start = 0
    for bar in bars:
        branches.append(regex[start:bar])
        start = bar + 1
    branches.append(regex[start:])
    return branches


def branch_cuts(regex: str) -> tuple[int, ...]:
    """Where `rule_branches` cuts `regex` (the positions of those ``|``; none:
    kept whole), read from the pattern (what `gate_words.BRANCH_CUTS` holds)."""
    if regex.startswith("(?") and regex[2:3] in _FLAG_LETTERS:
        return ()
    bars = top_level_bars(regex)
    if not bars or not all(_cut(regex, bars)):
        return ()
    return bars


def rule_branches(regex: str) -> tuple[str, ...]:
    """The alternatives of a rule's pattern, each searched on its own (or the
    whole pattern, when it has one or its alternatives cannot stand alone).

    A text matches the pattern exactly when it matches one of them. Asked one
    by one behind their own word gates, only the alternatives a text may
    match are compiled (the whole pattern compiled cost ~0.3 ms of a cold
    run per rule) and searched, and a plain one (`plain_alternatives`) never
    is. A pattern opening with inline flags (``(?i)``) is kept whole: its
    flags would not reach the alternatives after the first.

    The cuts of the rule table's patterns are read from `gate_words.BRANCH_CUTS`
    (the scan of all of them cost ~7M instructions, ~1.5 ms, of every cold
    run); a pattern not there (changed since the file was made) is read here.
    """
    bars = BRANCH_CUTS.get(regex)
    if bars is None:
        bars = branch_cuts(regex)
    if not bars:
        return (regex,)
    return tuple(_cut(regex, bars))


_FLAG_LETTERS = frozenset("aiLmsux-")


def host_suffixes(regex: str) -> tuple[str, ...] | None:
    """The names of a host pattern ``(?:^|\\.)(?:a\\.com|b\\.net)$`` (branches of
    that shape joined by ``|`` too), or None for any other shape.

    The names may be written as a few literal strings (`literal_expansion`:
    ``gmx\\.(?:net|com)``). 21 of the 22 providers' host patterns are that
    shape; `host_search` answers them without compiling (~0.2 ms each of a
    cold run).
    """
    found: list[str] = []
    for branch in top_level_branches(regex):
        if not (branch.startswith(_HOST_LEAD) and branch.endswith("$")):
            return None
        body = branch[len(_HOST_LEAD) : -1]
        if body.startswith("(?:") and body.endswith(")"):
            body = body[3:-1]
        # None for an escaped "$", a group left open...
        alternatives = plain_alternatives(body) or literal_expansion(body)
        if alternatives is None or any(lead or trail for _w, lead, trail in alternatives):
            return None
        found += [word for word, _lead, _trail in alternatives]
    return tuple(found)


def host_names(regex: str) -> tuple[str, ...] | None:
    """`host_suffixes`, taken from `gate_words.HOST_SUFFIXES` for the
    providers' patterns (their reading compiled the mark scan and walked
    each name's tokens on every cold run); a pattern not there is read."""
    if regex in HOST_SUFFIXES:
        return HOST_SUFFIXES[regex]
    return host_suffixes(regex)


def host_search(suffixes: tuple[str, ...], host: str) -> bool:
    """Whether `host` is one of `suffixes` or ends in a dot and one of them
    (what the pattern's search says: its ``$`` also matches before a final
    newline)."""
    if host.endswith("\n"):
        host = host[:-1]
    for suffix in suffixes:
        if host.endswith(suffix) and (len(host) == len(suffix) or host[-len(suffix) - 1] == "."):
            return True
    return False


# Pattern, TextRule, ProviderPattern and ProviderRule are named tuples, not
# frozen dataclasses: the same immutable values, but a class costs ~0.1 ms to
# create instead of ~1 ms (each run imports this module), and the compiled
# patterns are kept by `compiled` rather than per instance.


class Pattern(NamedTuple):
    """One named wording that signals a reason.

    `regex` is matched (``search``) against the normalised diagnostic: lower
    case, whitespace collapsed, SMTP continuation prefixes removed. `name` is
    the last part of the stored rule name (``text.<reason>.<name>``).
    """

    name: str
    regex: str
    # The wording itself shows a mailbox lookup on the final host (a local
    # delivery agent or directory answering), so it needs no RCPT evidence.
    lookup: bool = False


class TextRule(NamedTuple):
    """A generic text pattern bound to its reason.

    Compiled on first use: a command-line run classifies a few messages and
    most rules are never reached behind their reason's prefilter.
    """

    name: str
    reason: str
    regex: str
    lookup: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        return compiled(self.regex)


class ProviderPattern(NamedTuple):
    """A receiving provider's documented wording or code.

    `regex` matches the normalised diagnostic; `status` (optional) must match
    the enhanced status code from the start, e.g. ``r"5\\.7\\.509"``. At least
    one of them is given; when both are, both must match.
    """

    name: str
    reason: str
    regex: str = ""
    status: str = ""
    domain: str = ""  # regex the recipient's domain must match in full


class ProviderRule(NamedTuple):
    """A provider pattern, named ``provider.<provider>.<name>``, compiled on first use."""

    name: str
    reason: str
    regex: str = ""
    status_regex: str = ""
    domain_regex: str = ""

    def matches(self, text: str, status: str, domain: str = "") -> bool:
        if self.status_regex and not whole_test(self.status_regex)(status):
            return False
        if self.domain_regex and not whole_test(self.domain_regex)(domain):
            return False
        return not self.regex or bool(searcher(self.regex)(text))


class Provider:
    """A receiving mail provider and the bounce texts it documents.

    A provider is recognised by the host that answered (Remote-MTA, a host
    named in the diagnostic, the reporting MTA), by a signature it leaves in
    its replies (Google's ``gsmtp``), or by a consumer domain it alone hosts
    (``gmail.com``). Corporate domains hosted by a provider are found through
    the host, never guessed from the recipient's domain.

    A plain class with slots, not a frozen dataclass: creating the dataclass
    cost ~0.7 ms of every run's start-up. Its fields are set once here and
    never changed; `host_re` and `marker_re` are compiled on first use.
    """

    __slots__ = (
        "_host_re",
        "_host_test",
        "_marker_re",
        "domains",
        "hosts",
        "markers",
        "name",
        "patterns",
        "rules",
    )

    def __init__(
        self,
        name: str,
        hosts: str,  # regex searched in each candidate host name (lower case)
        markers: str = "",  # regex searched in the normalised diagnostic
        domains: tuple[str, ...] = (),  # recipient domains only this provider hosts
        patterns: tuple[ProviderPattern, ...] = (),
    ) -> None:
        self.name = name
        self.hosts = hosts
        self.markers = markers
        self.domains = domains
        self.patterns = patterns
        self.rules = tuple(
            ProviderRule(f"provider.{name}.{p.name}", p.reason, p.regex, p.status, p.domain)
            for p in patterns
        )
        self._host_re: re.Pattern[str] | None = None
        self._host_test: Callable[[str], object] | None = None
        self._marker_re: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        return f"Provider(name={self.name!r})"

    @property
    def host_re(self) -> re.Pattern[str]:
        found = self._host_re
        if found is None:
            found = self._host_re = re.compile(self.hosts)
        return found

    @property
    def host_test(self) -> Callable[[str], object]:
        """`host_re`'s search, or `host_search` when the pattern has its shape."""
        found = self._host_test
        if found is None:
            suffixes = host_names(self.hosts)
            if suffixes is None:
                found = self.host_re.search
            else:
                found = functools.partial(host_search, suffixes)
            self._host_test = found
        return found

    @property
    def marker_re(self) -> re.Pattern[str] | None:
        if not self.markers:
            return None
        found = self._marker_re
        if found is None:
            found = self._marker_re = re.compile(self.markers)
        return found

    def recognises(self, hosts: tuple[str, ...], text: str, domain: str) -> bool:
        if any(self.host_re.search(h) for h in hosts):
            return True
        marker = self.marker_re
        if marker is not None and marker.search(text):
            return True
        return domain in self.domains
