"""Format patterns compiled on first use behave as compiled ones, and their word test never
changes a header test's result.

`LazyPattern.found_in` skips the search when an ASCII text lacks every word
`required_words` read from the pattern; a word the reader got wrong (a
factored-out prefix, an optional group taken as required, a character that
matches an ASCII letter case-insensitively) would make a format miss its
messages.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.formats import REGISTRY, amazon_ses, generic, postfix, verizon
from bounce_sink.parse.formats.layout_format import LayoutFormat
from bounce_sink.parse.formats.lazy_pattern import (
    ASCII_CASE_TWINS,
    LazyPattern,
    leading_literals,
    required_clauses,
    required_options,
    required_words,
)
from bounce_sink.parse.formats.text_bounce import TextLayout
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
HEADERS = ("from", "subject", "received", "x-mailer", "x-mlserver", "message-id")


def _header_patterns() -> list[tuple[str, LazyPattern]]:
    """Every (header, pattern) a format's header test searches."""
    found: list[tuple[str, LazyPattern]] = []
    formats = [*REGISTRY, *(getattr(f, "_LINES", None) for f in REGISTRY)]
    for fmt in formats:
        if isinstance(fmt, LayoutFormat):
            if fmt.from_ is not None:
                found.append(("from", fmt.from_))
            if fmt.subject is not None:
                found.append(("subject", fmt.subject))
            found.extend(fmt.header_values)
    found += [
        ("from", amazon_ses._FROM),
        ("from", verizon._FROM),
        ("from", generic._DAEMON_FROM),
        ("subject", generic._FAILURE_SUBJECT),
        ("from", postfix._FROM),
        ("subject", postfix._SUBJECT),
    ]
    return found


PATTERNS = _header_patterns()


def test_the_twins_are_every_non_ascii_character_matching_an_ascii_one() -> None:
    letters = re.compile("[a-z]", re.IGNORECASE)
    twins = {
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and letters.fullmatch(chr(c))
    }
    assert twins == set(ASCII_CASE_TWINS)


def test_words_read_from_known_shapes() -> None:
    assert required_words(r"mail delivery system|mailer-daemon", re.I) == frozenset(
        {" delivery system", "er-daemon"}
    )
    assert required_words(r"^(?:undeliverable|non remis):", re.I) == frozenset(
        {"undeliverable", "non remis"}
    )
    assert required_words(r"(?:the )?header", re.I) == frozenset({"header"})
    assert required_words(r"a|", re.I) is None
    assert required_words(r"\d+", re.I) is None
    assert required_words(r"x(?:yy)*z", 0) in (frozenset({"x"}), frozenset({"z"}))
    assert required_words("\u212a-mail|other", re.I) is None  # KELVIN SIGN matches "k"
    assert required_words("(", 0) is None
    zoho = r"mailer-daemon@(?:mail\.)?zoho(?:mail)?\.(?:com|eu|in)"
    assert set(required_clauses(zoho, re.I)) == {
        frozenset({"mailer-daemon@"}),
        frozenset({"zoho"}),
        frozenset({"com", "eu", "in"}),
        frozenset({"."}),
    }
    pattern = LazyPattern(zoho, re.I)
    assert not pattern.may_match("MAILER-DAEMON@mx.example.com")
    assert pattern.gated_search("MAILER-DAEMON@mx.example.com") is None
    assert "search" not in vars(pattern)  # every set but one held: not even compiled
    assert pattern.may_match("MAILER-DAEMON@Zoho.eu")
    assert pattern.found_in("MAILER-DAEMON@Zoho.eu")
    options = required_options(r"has been delayed|delivery (?:is )?delayed|x(?:y|)z", re.I)
    assert {frozenset(o) for o in options} == {
        frozenset({frozenset({"has been delayed"})}),
        frozenset({frozenset({"delivery "}), frozenset({"delayed"})}),
        frozenset({frozenset({"x"}), frozenset({"z"})}),
    }
    assert required_options(r"ab|c?", re.I) == ()
    # Non-ASCII text: lower case still decides, unless a twin of an ASCII letter is in it.
    system = LazyPattern("mail delivery system", re.I)
    assert not system.may_match("Mail Delivery Syst\u00e8me")
    assert system.may_match("Mail Delivery \u017fystem \u00e9")
    assert system.found_in("Mail Delivery \u017fystem \u00e9")
    assert system.may_match("MAIL DELIVERY SYSTEM \u00e9")
    long_text = "x " * 200
    assert not system.found_in(long_text + "Mail Delivery Syst\u00e8me")
    assert system.found_in(long_text + "MAIL DELIVERY SYSTEM")


def test_lazy_pattern_compiles_on_first_use_and_then_is_the_compiled_pattern() -> None:
    p = LazyPattern(r"(\w+)@example\.org", re.I)
    assert "search" not in vars(p)
    assert p.search("To: A@Example.ORG").group(1) == "A"  # type: ignore[union-attr]
    assert vars(p)["search"].__self__ == re.compile(r"(\w+)@example\.org", re.I)
    assert [m.group(1) for m in p.finditer("a@example.org b@example.org")] == ["a", "b"]
    assert p.sub("x", "a@example.org!") == "x!"
    assert LazyPattern(r"\n\s*\n").split("a\n \nb") == ["a", "b"]
    assert p.match("  a@example.org") is None and p.match("  a@example.org", 2) is not None


def _corpus_header_values(corpus_dir: Path) -> list[str]:
    values: set[str] = set()
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        view = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS)
        for name in HEADERS:
            values.add(view.headers.get(name, ""))
    return sorted(values)


def test_word_test_agrees_with_search_on_corpus_and_fixture_headers(corpus_dir: Path) -> None:
    values = _corpus_header_values(corpus_dir)
    passed = 0
    for _, pattern in PATTERNS:
        compiled = re.compile(pattern.pattern, pattern.flags)
        for value in values:
            expected = compiled.search(value) is not None
            assert pattern.found_in(value) is expected, (pattern.pattern, value)
            passed += expected
    assert passed > 200  # the corpus does pass header tests


def all_lazy_patterns(*also: ModuleType) -> list[LazyPattern]:
    """Every LazyPattern the format modules (and `also`) hold, at module level or in a format's fields."""
    found: dict[int, LazyPattern] = {}

    def visit(value: object) -> None:
        if isinstance(value, LazyPattern):
            found[id(value)] = value
        elif isinstance(value, tuple):
            for item in value:
                visit(item)
        elif isinstance(value, LayoutFormat | TextLayout):
            for item in vars(value).values():
                visit(item)

    assert REGISTRY  # every format module is imported
    modules = [
        m for n, m in sorted(sys.modules.items()) if n.startswith("bounce_sink.parse.formats.")
    ]
    for module in [*modules, *also]:
        for value in vars(module).values():
            visit(value)
    return list(found.values())


ALL_PATTERNS = all_lazy_patterns()


def test_word_test_agrees_with_search_on_every_pattern_and_corpus_text(corpus_dir: Path) -> None:
    texts: set[str] = set(_corpus_header_values(corpus_dir))
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        texts.add(MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS).body_text)
    assert len(ALL_PATTERNS) > 100
    for pattern in ALL_PATTERNS:
        compiled = re.compile(pattern.pattern, pattern.flags)
        for text in texts:
            assert pattern.found_in(text) is (compiled.search(text) is not None), pattern


_WORD_SAMPLES = sorted(
    {w for p in ALL_PATTERNS for o in required_options(p.pattern, p.flags) for c in o for w in c}
    | {"mailer-daemon@googlemail.com", "Mail Delivery System", "postmaster@", "failure notice"}
)


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(
        st.one_of(
            st.sampled_from(_WORD_SAMPLES),
            st.sampled_from([*ASCII_CASE_TWINS, "\u00e9", "\u00b5", "\u03a3", "\u00a0", "\u672a"]),
            st.sampled_from([" ", "\n", "\n\n", ":", "<a@example.org>", "550 ", "5.1.1 "]),
            st.text(max_size=6),
        ),
        max_size=8,
    ),
    upper=st.booleans(),
    index=st.integers(min_value=0, max_value=len(ALL_PATTERNS) - 1),
)
def test_word_test_agrees_with_search_on_generated_texts(
    parts: list[str], upper: bool, index: int
) -> None:
    value = "".join(parts)
    value = value.upper() if upper else value
    pattern = ALL_PATTERNS[index]
    compiled = re.compile(pattern.pattern, pattern.flags)
    expected = compiled.search(value)
    assert pattern.found_in(value) is (expected is not None)
    assert pattern.may_match(value) or expected is None
    found = pattern.gated_search(value)
    assert (found and found.span()) == (expected and expected.span())
    # Given the lower case, a pattern with leading literals is searched from
    # the first (a new one: they are read when gated_search asks first).
    fresh = LazyPattern(pattern.pattern, pattern.flags)
    found = fresh.gated_search(value, value.lower())
    assert (found and found.span()) == (expected and expected.span()), (pattern, value)


def test_leading_literals_are_where_every_match_begins() -> None:
    assert leading_literals(r"(?:following\s+x|could not)", re.I) == ("could not", "following")
    assert leading_literals(r"^\b(?:Ab|cd)e", re.I | re.M) == ("ab", "cd")
    assert leading_literals(r"mailer-daemon|mail delivery", re.I) == ("mail",)  # common prefix
    for other in (r"\s*abc", r"(?:abc|)d", r"(?<!x)abc", r"[ab]c", "a\u212a", r"a|b"):
        assert leading_literals(other, re.I) is None, other
    assert leading_literals("abc", 0) is None  # case-sensitive: not read


def test_a_search_from_the_first_lead_agrees_on_every_corpus_text(corpus_dir: Path) -> None:
    texts: set[str] = set()
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        text = MessageView(parse_fast(data) or _stdlib_tree(data), DEFAULT_LIMITS).body_text
        texts.update((text, text[len(text) // 2 :]))
    # The patterns' words with a case twin of one of their letters in them.
    for word in _WORD_SAMPLES:
        for letter, twin in (("s", "\u017f"), ("i", "\u0131"), ("k", "\u212a"), ("I", "\u0130")):
            for shown in (word, word.upper()):
                texts.update((shown.replace(letter, twin), f"x\n> {shown.replace(letter, twin)} y"))
    # New patterns: the leads are read when gated_search is the first to ask.
    led = [
        LazyPattern(p.pattern, p.flags)
        for p in ALL_PATTERNS
        if leading_literals(p.pattern, p.flags)
    ]
    assert len(led) > 50
    found = 0
    for pattern in led:
        compiled = re.compile(pattern.pattern, pattern.flags)
        pattern.gated_search("", "")
        assert pattern._leads == leading_literals(pattern.pattern, pattern.flags)
        for text in texts:
            expected = compiled.search(text)
            got = pattern.gated_search(text, text.lower())
            assert (got and got.span()) == (expected and expected.span()), pattern
            found += expected is not None
    assert found > 100
