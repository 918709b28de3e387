"""Trying `ORIGINAL_MARKERS` only at the lines that hold its words finds what `search` finds.

`find_original_marker` matches the pattern at the start of each line that
holds one of its words and of the filler-only lines ("---", blank, "> ")
right above it. A word missing from the list, a filler character the
pattern passes over but the line test does not, or a marker spread over
lines would make it miss a marker `search` finds, or find a later one.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.prose import ORIGINAL_MARKERS, find_original_marker

# Lines that are, or almost are, markers; words of markers that are not one.
_LINES = [
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
    "  --- Unsent message",
    "-- undelivered message",
    "Your message reads:",
    "Message headers follow",
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


def _span(text: str) -> tuple[int, int] | None:
    m = ORIGINAL_MARKERS.search(text)
    return m.span() if m else None


def _found(text: str) -> tuple[int, int] | None:
    m = find_original_marker(text)
    return m.span() if m else None


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
