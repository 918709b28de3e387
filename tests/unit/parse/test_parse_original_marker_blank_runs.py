"""`find_original_marker`'s two shortcuts never change what `ORIGINAL_MARKERS.search` finds.

Of a run of whitespace-only lines above a line with a marker word only the
first is tried, and the words are found with one `str.find` each, refreshed
only when the scan has passed them. A blank line that could match where
the one above it does not, or a word whose next place is not refreshed,
would make it find a later marker, or none.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.prose import ORIGINAL_MARKERS, find_original_marker

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


def _span(text: str) -> tuple[int, int] | None:
    m = ORIGINAL_MARKERS.search(text)
    return m.span() if m else None


def _found(text: str) -> tuple[int, int] | None:
    m = find_original_marker(text)
    return m.span() if m else None


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
