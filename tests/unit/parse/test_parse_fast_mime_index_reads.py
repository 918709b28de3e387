"""The quick reader's line-end and boundary tests read characters by index;
they answer as the `str.startswith` / `endswith` calls with a range that
they replaced (those parse their arguments the slow way).

Each is compared with the former spelling, kept here, on the ranges the
reader asks about while it reads every corpus and fixture message, and on
generated text read in place inside longer text (a range that stops short
of a line end, or of "--", must not see the characters after it).
`_split_at` has its own comparison in test_parse_quick_fields.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import fast_mime
from bounce_sink.parse.fast_mime import parse_fast

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _old_text_before_eol(text: str, start: int, end: int, strip_eol: bool) -> str:
    if strip_eol:
        if text.endswith("\r\n", start, end):
            end -= 2
        elif text.endswith(("\n", "\r"), start, end):
            end -= 1
    return text[start:end]


def _old_delimiters(
    text: str, separator: str, begin: int, size: int
) -> list[tuple[int, int, bool]]:
    found: list[tuple[int, int, bool]] = []
    line = "\n" + separator
    after = len(separator)
    if text.startswith(separator, begin, size):
        start = begin
    else:
        start = text.find(line, begin, size) + 1
        if start == 0:
            return found
    while True:
        pos = start + after
        closing = text.startswith("--", pos, size)
        if closing:
            pos += 2
        while pos < size and text[pos] in " \t":
            pos += 1
        if text.startswith("\r\n", pos, size):
            found.append((start, pos + 2, closing))
        elif text.startswith("\n", pos, size):
            found.append((start, pos + 1, closing))
        elif pos == size:
            found.append((start, pos, closing))
        start = text.find(line, start, size) + 1
        if start == 0:
            return found


def _calls(corpus_dir: Path, name: str) -> list[tuple[Any, ...]]:
    """The arguments of every call the reader makes to `fast_mime.<name>`."""
    calls: list[tuple[Any, ...]] = []
    seen = getattr(fast_mime, name)

    def record(*args: Any) -> Any:
        calls.append(args)
        return seen(*args)

    setattr(fast_mime, name, record)
    try:
        for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
            parse_fast(path.read_bytes())
    finally:
        setattr(fast_mime, name, seen)
    return calls


def test_text_before_eol_equals_endswith_on_the_reader_ranges(corpus_dir: Path) -> None:
    calls = _calls(corpus_dir, "_text_before_eol")
    assert sum(strip for *_, strip in calls) > 300
    for text, start, end, strip in calls:
        for cut_end in (end, end - 1, end - 2, start, start + 1):
            if start <= cut_end <= len(text):
                for flag in (strip, not strip):
                    assert fast_mime._text_before_eol(
                        text, start, cut_end, flag
                    ) == _old_text_before_eol(text, start, cut_end, flag)


_PIECES = st.text(alphabet=st.sampled_from("\r\n-a \t"), max_size=8)


@settings(max_examples=500, deadline=None)
@given(_PIECES, _PIECES, _PIECES)
def test_text_before_eol_equals_endswith_in_place(before: str, text: str, after: str) -> None:
    whole = before + text + after
    start, end = len(before), len(before) + len(text)
    for strip in (True, False):
        assert fast_mime._text_before_eol(whole, start, end, strip) == _old_text_before_eol(
            whole, start, end, strip
        )


def test_delimiters_equal_startswith_on_the_reader_ranges(corpus_dir: Path) -> None:
    calls = _calls(corpus_dir, "_delimiters")
    assert len(calls) > 150
    for text, separator, begin, size in calls:
        assert fast_mime._delimiters(text, separator, begin, size) == _old_delimiters(
            text, separator, begin, size
        )
        # The same body ending inside its lines: at each of the first boundaries' ends.
        for cut in {
            size - 1,
            size - 2,
            *(
                end - k
                for _, end, _ in _old_delimiters(text, separator, begin, size)[:3]
                for k in (0, 1, 2, 3)
            ),
        }:
            if begin <= cut <= size:
                assert fast_mime._delimiters(text, separator, begin, cut) == _old_delimiters(
                    text, separator, begin, cut
                )


@settings(max_examples=800, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("\r\n-b \tx"), max_size=24),
    st.text(alphabet=st.sampled_from("\r\n-b \t"), max_size=3),
    st.text(alphabet=st.sampled_from("\r\n-b \t"), max_size=3),
)
def test_delimiters_equal_startswith_in_place(body: str, before: str, after: str) -> None:
    whole = before + body + after
    begin, size = len(before), len(before) + len(body)
    for separator in ("--b", "--b-"):
        assert fast_mime._delimiters(whole, separator, begin, size) == _old_delimiters(
            whole, separator, begin, size
        )


def _old_content_type(value: str) -> str:
    ctype = value.partition(";")[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


def test_content_type_equals_the_slash_count_on_the_reader_values(corpus_dir: Path) -> None:
    values = [value for _, value in _calls(corpus_dir, "_content_type") if value is not None]
    assert len(values) > 600
    values += ["a/b/c", "text//plain", "/", "//", "text/", "/plain", "text", "", "a/b;c/d/e"]
    for value in values:
        assert fast_mime._content_type(fast_mime.ReadMessage(), value) == _old_content_type(value)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("/;aT \t"), max_size=10))
def test_content_type_equals_the_slash_count(value: str) -> None:
    assert fast_mime._content_type(fast_mime.ReadMessage(), value) == _old_content_type(value)
