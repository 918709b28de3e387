"""`find_original_marker`'s shortcuts never change what `ORIGINAL_MARKERS.search` finds.

Where the returned original starts decides what is read as the bounce's own
text. The search is cut short three ways: a word prefilter (an ASCII text
holding none of the words every alternative needs is not searched), the
pattern tried only at lines that hold one of its words and the filler-only
lines right above them, and of a run of blank lines only the first tried,
with the words found by bounded `str.find`s. A word missing from a list, a
filler the pattern crosses but the line test does not, or a blank line that
matches where the one above it does not would make it miss a marker
`search` finds, or find a later one.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.prose import ORIGINAL_MARKERS, find_original_marker

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _span(text: str) -> tuple[int, int] | None:
    m = ORIGINAL_MARKERS.search(text)
    return m.span() if m else None


def _found(text: str) -> tuple[int, int] | None:
    m = find_original_marker(text)
    return m.span() if m else None


# A sample of each alternative of the pattern, to be cased and framed at random.
_MARKERS = [
    "-- this is a copy of the message",
    "--- Original message",
    "- below this line",
    "--the header of the original",
    "---- Returned message",
    "--- below this line is a copy of the message",
    "-- The following is the original",
    "--the following are the message",
    "original message follows",
    "Original Message Headers",
    "the headers of the original message",
    "header of the original message",
    "  --- Unsent message",
    "-- undelivered message",
    "Your message reads:",
    "Message headers follow",
]


def test_every_alternative_is_found_through_the_prefilter() -> None:
    for marker in _MARKERS:
        for text in (marker, marker.upper(), f"notice\n> {marker}\nrest", f"x\n\t{marker.title()}"):
            assert _span(text) is not None, text
            assert _found(text) == _span(text), text


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(alphabet=" \t>-\nabcdeforigOR", max_size=30),
    marker=st.sampled_from(_MARKERS),
    upper=st.lists(st.booleans(), min_size=60, max_size=60),
    after=st.text(max_size=20),
)
def test_random_framings_agree(before: str, marker: str, upper: list[bool], after: str) -> None:
    cased = "".join(c.upper() if u else c for c, u in zip(marker, upper, strict=False))
    cased += marker[len(upper) :]
    text = before + cased + after
    assert _found(text) == _span(text)


def test_corpus_and_fixture_texts_agree(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    cut = 0
    for path in files:
        message = parse_fast(path.read_bytes())
        if message is None:
            continue
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            text = payload.decode("utf-8", "replace")
            assert _found(text) == _span(text), path.name
            cut += _span(text) is not None
    assert cut > 20  # the corpus does exercise the markers


# Lines that are, or almost are, markers; words of markers that are not one.
_LINES = [
    *_MARKERS,
    "The original message was received at Thu, 1 Jan",
    "a copy of the original is attached",
    "see the following lines",
    "x original message follows",
    "Original",
    "message",
    "this is a copy of",
    "the following",
    "headers of the",
    "your message",
    "user unknown <a@example.org>",
    "",
    "---",
    "-",
    " > - ",
    ">>",
    "\t",
    " \x0c\x0b\r",
    "\x1c\x1f",
]
_FILLER_PREFIXES = ["", " ", "\t", ">", "> ", "-", "--", " -", "\r", "\x0c"]


def test_markers_after_filler_lines_are_found_where_search_finds_them() -> None:
    for text in (
        "notice\n----\n\noriginal message follows\n",
        "notice\n--\n \n>\n-- returned message",
        "a\n-\n\n\nthe headers of the original message",
        "first original line\n---\n\noriginal message headers",
        "the original message was received\n--- Original message ---",
        "no marker here, the original was sent\nlast line",
        "\n\n- below this line",
    ):
        assert _found(text) == _span(text), text
    assert _span("a\n---\n\noriginal message follows") == (2, 31)


@settings(max_examples=400, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(_FILLER_PREFIXES), st.sampled_from(_LINES), st.booleans()),
        max_size=12,
    ),
    crlf=st.booleans(),
)
def test_random_texts_of_marker_and_filler_lines_agree(
    lines: list[tuple[str, str, bool]], crlf: bool
) -> None:
    text = ("\r\n" if crlf else "\n").join(
        prefix + (line.upper() if upper else line) for prefix, line, upper in lines
    )
    assert _found(text) == _span(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\r\n>-abdefghilmnorstuwy", max_size=80))
def test_random_short_texts_agree(text: str) -> None:
    assert _found(text) == _span(text)


# Non-ASCII text: whitespace the pattern's \s takes, letters with and without
# an ASCII twin ("\u017f" LONG S matches "s", "\u212a" KELVIN SIGN "k").
_NON_ASCII = ["\u00e9", "\u00a0", "\u2028", "\u3000", "\u0085", "\u00d6", "\u017f", "\u212a"]
_NON_ASCII += ["\u0131", "\u0130", "\u00bbcopy of", "Original Me\u017f\u017fage follow\u017f"]


@settings(max_examples=400, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(_FILLER_PREFIXES + _NON_ASCII[:5]),
            st.sampled_from(_LINES + _NON_ASCII),
            st.sampled_from(["", *_NON_ASCII]),
        ),
        max_size=10,
    )
)
def test_random_non_ascii_texts_agree(lines: list[tuple[str, str, str]]) -> None:
    text = "\n".join(prefix + line + suffix for prefix, line, suffix in lines)
    assert _found(text) == _span(text)


def test_the_twins_are_those_of_the_format_patterns() -> None:
    from bounce_sink.parse import prose
    from bounce_sink.parse.formats.lazy_pattern import ASCII_CASE_TWINS

    assert set(prose._ASCII_CASE_TWINS) == ASCII_CASE_TWINS


# Whitespace-only lines (what \s and str.strip take, \x1c is one of them),
# filler lines the pattern can cross or start on, and lines with the words.
_BLANKS = ["", " ", "\t", "  \t ", "\r", "\x0c", "\x1c", "\u3000", "\u00a0 "]
_FILLERS = ["-", "---", " -- ", ">", "> >", " > - ", "->"]
_WORDY = [
    "original message follows",
    "Original Message",
    "-- Original message",
    "---- Unsent message",
    "Undelivered Message",
    "-- returned message",
    "the following",
    "The following is the original",
    "-- the following are the message",
    "below this line",
    "--- below this line is a copy of the message",
    "this is a copy of",
    "-- this is a copy of the message",
    "headers of the original message",
    "Your message reads:",
    "message headers follow",
    "x original",
    "copy of",
    "text without any word",
]


def test_blank_runs_above_a_marker_match_where_search_does() -> None:
    for text in (
        "notice\n\n\n\n\noriginal message follows\n",
        "notice\n\n \n\t\n---- unsent message",
        "notice\n\n\n-----\n\n\nundelivered message",
        "\n\n\n\n-- returned message",
        "x\n\n\n\n-- the following is the original",
        "x\n \n\x0c\n\r\nyour message reads",
        "no marker\n\n\n\nthe following address\n\n\n\n---\n\noriginal message headers",
        "a\n\n\n\n-\n\n\n>\n\n\nmessage headers follow",
    ):
        assert _span(text) is not None, text
        assert _found(text) == _span(text), text


@settings(max_examples=500, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(_BLANKS),
            st.sampled_from(_FILLERS),
            st.sampled_from(_WORDY),
            st.lists(st.sampled_from(_BLANKS), min_size=2, max_size=6).map("\n".join),
        ),
        max_size=16,
    ),
    upper=st.booleans(),
)
def test_random_texts_of_blank_runs_fillers_and_words_agree(lines: list[str], upper: bool) -> None:
    text = "\n".join(lines)
    if upper:
        text = text.upper()
    assert _found(text) == _span(text)


def test_many_words_before_the_marker_are_passed_in_order() -> None:
    lines = ["the following host", "a copy of nothing", "original sender"] * 20
    text = "\n".join([*lines, "", "", "--- original message ---", "the following"])
    assert _found(text) == _span(text)
    assert _span(text) is not None


# What may come before a marker's text on its line: filler the pattern passes
# over, words that stop it, non-ASCII whitespace that \s takes.
_LEADS = ["", " ", "> ", "->", "-- ", "x ", "see ", "\u00a0", "\u3000-", "\u00e9 ", ">\u2028"]


@settings(max_examples=500, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(_LEADS), st.sampled_from(_WORDY + _BLANKS + _FILLERS)),
        max_size=10,
    ),
    upper=st.booleans(),
)
def test_random_leads_before_marker_words_agree(lines: list[tuple[str, str]], upper: bool) -> None:
    text = "\n".join(lead + line for lead, line in lines)
    if upper:
        text = text.upper()
    assert _found(text) == _span(text)


def test_every_phrase_start_is_needed_and_enough() -> None:
    """Each alternative's text, after filler or after a word, as search finds it."""
    for phrase in _WORDY:
        for lead in _LEADS:
            for text in (
                lead + phrase,
                f"notice\n{lead}{phrase}\nmore",
                f"a\n\n--\n{lead}{phrase}",
            ):
                assert _found(text) == _span(text), text


@settings(max_examples=500, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from(["original", "copy of", "the following", "message", "returned ", "x", " "]),
        max_size=12,
    ),
    pos=st.integers(min_value=0, max_value=40),
)
def test_first_word_is_where_a_regex_for_any_word_finds_it(pieces: list[str], pos: int) -> None:
    import re

    from bounce_sink.parse.prose import _ORIGINAL_MARKER_WORDS, _first_word

    text = "".join(pieces)
    m = re.compile("|".join(map(re.escape, _ORIGINAL_MARKER_WORDS))).search(text, pos)
    assert _first_word(text, pos) == ((m.start(), m.end()) if m else (-1, -1))
    # Given only the words the text holds (as find_original_marker gives them).
    held = [word for word in _ORIGINAL_MARKER_WORDS if word in text]
    assert _first_word(text, pos, held) == ((m.start(), m.end()) if m else (-1, -1))


# Whole alternatives and near misses of them, for the full-phrase test.
_NEAR_PHRASES = [
    *_WORDY,
    "The following addresses had permanent fatal errors",
    "the following is the error message",
    "The following are the original",
    "original message was received",
    "Original Message Follows",
    "the header of the original",
    "headers of the original",
    "returned message follows",
    "Unsent Message below",
    "undelivered message",
    "your message read",
    "message headers following",
]
_LINE_LEADS = ["", " ", "\t", "-", "--", " -- ", "- -", ">", "> ", ">-", "-> ", "\u3000"]
_ABOVE = ["", " ", "-", "---", ">", " > ", "\x0c", "x"]


def test_phrases_after_every_lead_below_every_filler_line() -> None:
    """The full-phrase test and the lines-above rule against `search`, exhaustively.

    A line is tried only when its text after the filler is a whole
    alternative's phrase, and the filler lines above it only when its lead
    is whitespace (or dashes before an unsent/undelivered/returned message).
    """
    for phrase in _NEAR_PHRASES:
        for lead in _LINE_LEADS:
            for above in _ABOVE:
                for text in (f"{above}\n{lead}{phrase}", f"notice\n{above}\n\n{lead}{phrase}\nx"):
                    assert _found(text) == _span(text), text
                    upper = text.upper()
                    assert _found(upper) == _span(upper), upper
