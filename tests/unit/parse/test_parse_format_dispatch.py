"""The registry's dispatch never leaves out a format whose header test passes.

The pipeline asks only `CANDIDATES.candidates(headers)` (and, for RFC 3464
reports, `REFINER_CANDIDATES`), in registry order; each candidate's own
`matches` still decides. So the answers stay the registry's exactly as long
as every format whose `matches` is true is a candidate, in order. That is
checked on the headers of every corpus and fixture message (through both
MIME readers) and on generated headers built from the gate words, their
case variants, the non-ASCII letters `re` folds to ASCII ones and line ends.
"""

from __future__ import annotations

import email
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from email._policybase import compat32
from pathlib import Path
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.formats import (
    CANDIDATES,
    REFINER_CANDIDATES,
    REFINERS,
    REGISTRY,
    _gate,
)
from bounce_sink.parse.formats.dispatch import (
    Contains,
    Dispatch,
    HeaderGate,
    Present,
    Searched,
    literal_words,
)
from bounce_sink.parse.formats.generic import GenericTextBounce
from bounce_sink.parse.formats.layout_format import rx
from bounce_sink.parse.formats.lazy_pattern import (
    ASCII_CASE_TWINS,
    plain_words,
    required_options,
    sre,
    sre_parse,
)
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _check(headers: Mapping[str, str]) -> int:
    """Asserts both dispatches keep every passing format, in order; returns
    how many registry formats were asked."""
    asked = CANDIDATES.candidates(headers)
    passing = [fmt for fmt in REGISTRY if fmt.matches(headers)]
    assert set(passing) <= set(asked), (dict(headers), [f.name for f in passing])
    assert _in_order(asked, REGISTRY)
    refiners = REFINER_CANDIDATES.candidates(headers)
    assert {f for f, _ in REFINERS if f.matches(headers)} <= {f for f, _ in refiners}
    assert _in_order(refiners, REFINERS)
    return len(asked)


def _in_order(part: Sequence[object], whole: Sequence[object]) -> bool:
    at = [whole.index(x) for x in part]
    return at == sorted(at) and len(set(at)) == len(at)


def test_every_corpus_and_fixture_message(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    asked = total = 0
    for path in paths:
        raw = path.read_bytes()
        for message in (email.message_from_bytes(raw, policy=compat32), parse_fast(raw)):
            if message is None:
                continue
            asked += _check(MessageView(message, DEFAULT_LIMITS).headers)
            total += 1
    assert total > 400
    # The point of it: ~20 header tests per message before, a few now.
    assert asked / total < 3


def test_every_format_but_the_last_has_a_gate() -> None:
    # A format without a gate is always asked: correct, but the dispatch
    # would do nothing for it. Only the catch-all, asked last, has none.
    for fmt in REGISTRY:
        assert (getattr(fmt, "gate", None) is None) is isinstance(fmt, GenericTextBounce), fmt.name


def test_an_ordinary_message_asks_only_the_catch_all() -> None:
    headers = {"from": "Carol <carol@example.com>", "subject": "hello", "received": "from x"}
    assert [f.name for f in CANDIDATES.candidates(headers)] == ["generic"]
    assert REFINER_CANDIDATES.candidates(headers) == ()


_ATOMS = [atom for fmt in REGISTRY if (gate := getattr(fmt, "gate", None)) for atom in gate.atoms]


def _gate_words() -> list[str]:
    """Every word of every gate, and a piece of each."""
    words: set[str] = set()
    for atom in _ATOMS:
        if isinstance(atom, Searched):
            for option in required_options(atom.pattern.pattern, atom.pattern.flags):
                words.update(w for clause in option for w in clause)
        elif isinstance(atom, Contains):
            words.add(atom.text)
    assert len(words) > 50
    pieces = {w[: len(w) // 2] for w in words} | {w[len(w) // 2 :] for w in words}
    # Letters `re` matches case-insensitively to an ASCII one that lower() keeps apart.
    twins = {w.replace(a, b) for w in words for a, b in _TWINS if a in w}
    return sorted(words | {w.upper() for w in words} | {w.title() for w in words} | pieces | twins)


_TWINS = (("s", "\u017f"), ("k", "\u212a"), ("i", "\u0131"), ("i", "\u0130"))


_FIELDS = sorted({a.field for a in _ATOMS if not isinstance(a, Present)})
_NAMES = sorted({a.field for a in _ATOMS if isinstance(a, Present)})
_PIECES = [*_gate_words(), " ", "\n", "@", ".com", ":", "\u212a", "\u017f", "\u0131", "\u0130", "é"]


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(_FIELDS),
        st.lists(st.sampled_from(_PIECES), max_size=6).map("".join),
    ),
    st.sets(st.sampled_from(_NAMES)),
)
def test_generated_headers(values: dict[str, str], names: set[str]) -> None:
    _check({**values, **dict.fromkeys(names, "x")})


def test_a_non_ascii_word_decides_nothing_on_a_non_ascii_value() -> None:
    # "ςα" (final sigma) matches "ΣΑ" case-insensitively, but "ΣΑ".lower() is "σα".
    pattern = rx("ςα")
    dispatch = Dispatch(("greek",), (HeaderGate((Searched("subject", pattern),)),))
    assert pattern.search("ΣΑ") is not None
    assert dispatch.candidates({"subject": "ΣΑ"}) == ("greek",)
    assert dispatch.candidates({"subject": "sa"}) == ()


_LITERAL_PATTERNS = sorted(
    {
        (a.pattern.pattern, a.pattern.flags)
        for a in _ATOMS
        if isinstance(a, Searched) and literal_words(a.pattern.pattern, a.pattern.flags)
    }
)


def test_literal_words_reads_only_literal_patterns() -> None:
    assert len(_LITERAL_PATTERNS) > 15  # most header tests are read without the parser
    assert literal_words(r"\bfml\b") == frozenset({"fml"})
    assert literal_words(r"^(?:Delivery Failure|failed delivery)") == frozenset(
        {
            "delivery failure",
            "failed delivery",
        }
    )
    assert literal_words(r"mail\.delivery\.system@|^a b$") == frozenset(
        {"mail.delivery.system@", "a b"}
    )
    for other in (r"a.b", r"a\$", r"(?:a)|(?:b)", "a|", r"a\d", "(?x)a b", "a\u212a", r"x\\\b"):
        assert literal_words(other) is None, other
    # An escaped punctuation mark is that mark (an escaped backslash too).
    assert literal_words(r"x\\b") == frozenset({"x\\b"})
    assert plain_words(r"\(state 13\)|user\(s\)", re.I) == ("(state 13)", "user(s)")
    assert literal_words("a b", re.VERBOSE) is None


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(_LITERAL_PATTERNS),
    st.lists(st.sampled_from([*_gate_words(), " ", "\n", "-", ".", "x"]), max_size=5),
)
def test_a_literal_pattern_matches_only_texts_holding_a_word(
    pattern: tuple[str, int], pieces: list[str]
) -> None:
    words = literal_words(*pattern)
    assert words is not None
    text = "".join(pieces)
    if re.search(pattern[0], text, pattern[1]) and ASCII_CASE_TWINS.isdisjoint(text):
        assert any(w in text.lower() for w in words), (pattern, text)
    for word in words:  # and every word is one it matches
        assert re.search(pattern[0], word, pattern[1]), (pattern, word)


def _strings(items: list[tuple[object, object]]) -> set[str] | None:
    """Every string a parsed pattern matches (zero-width assertions aside),
    or None when it is not a finite set of literals: the regex parser's own
    reading, to hold literal_words to."""
    out = {""}
    for op, av in items:
        if op is sre.LITERAL:
            out = {s + chr(cast(int, av)) for s in out}
        elif op is sre.AT:
            continue
        elif op is sre.IN and all(o is sre.LITERAL for o, _ in av):  # type: ignore[attr-defined]
            # (the parser's form of an alternation of single characters)
            out = {s + chr(c) for s in out for _, c in av}  # type: ignore[attr-defined]
        elif op is sre.SUBPATTERN:
            inner = _strings(list(av[-1]))  # type: ignore[index]
            if inner is None:
                return None
            out = {s + t for s in out for t in inner}
        elif op is sre.BRANCH:
            union: set[str] = set()
            for branch in av[1]:  # type: ignore[index]
                inner = _strings(list(branch))
                if inner is None:
                    return None
                union |= inner
            out = {s + t for s in out for t in union}
        else:
            return None
    return out


_PATTERN_PIECES = [
    "a",
    "B",
    " ",
    *(f"\\{c}" for c in "().-@\\|[]{}*+?^$#/:'!"),
    "\\b",
    "\\d",
    "\\s",
    "\\",
    "|",
    "(?:",
    ")",
    "^",
    "$",
    ".",
    "b",
    "\u212a",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PATTERN_PIECES), min_size=1, max_size=8))
def test_generated_literal_patterns_are_read_as_the_regex_parser_reads_them(
    pieces: list[str],
) -> None:
    pattern = "".join(pieces)
    try:
        parsed = list(sre_parse.parse(pattern, re.IGNORECASE))
    except re.error:
        assert literal_words(pattern, re.I) is None and plain_words(pattern, re.I) is None
        return
    strings = _strings(parsed)
    words = literal_words(pattern, re.I)
    if words is not None:
        assert strings is not None, pattern
        assert words == {s.lower() for s in strings}, pattern
    plain = plain_words(pattern, re.I)
    if plain is not None:
        assert strings is not None and "AT" not in repr(parsed), pattern
        assert set(plain) == {s.lower() for s in strings}, pattern


def test_literal_words_are_what_the_regex_parser_reads() -> None:
    for pattern, flags in {
        (a.pattern.pattern, a.pattern.flags) for a in _ATOMS if isinstance(a, Searched)
    }:
        words = literal_words(pattern, flags)
        if words is None:
            continue
        strings = _strings(list(sre_parse.parse(pattern, flags)))
        assert strings is not None, pattern
        assert words == {s.lower() for s in strings}, pattern


def _ask_together(dispatch: Dispatch[object], headers: dict[str, str], n: int) -> list[object]:
    """What n threads released at once get from the dispatch (or raise)."""
    start = threading.Barrier(n)
    answers: list[object] = []

    def ask() -> None:
        start.wait()
        try:
            answers.append(dispatch.candidates(headers))
        except BaseException as exc:
            answers.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_threads_that_meet_a_new_dispatch_see_one_answer() -> None:
    # The parser runs in worker threads (processing.py): a dispatch built
    # by several at once must give each the answer it gives one.
    headers = {"from": "MAILER-DAEMON@example.org", "subject": "failure notice"}
    expected = CANDIDATES.candidates(headers)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(20):
            fresh: Dispatch[object] = Dispatch(REGISTRY, tuple(_gate(f) for f in REGISTRY))
            assert _ask_together(fresh, headers, 8) == [expected] * 8
    finally:
        sys.setswitchinterval(old_interval)
