"""The quick reader's header shortcuts give what the plain ways gave.

Each is compared with the way it replaced, on every header block of the
corpus and fixture messages and on generated blocks: the field pattern and
the line check of `_parse_headers` (against the former whole-block match and
unanchored field pattern), the first-occurrence field dict (against
`raw_items()` with `setdefault`), `field_value` (against `str(part.get())`),
the view's headers taken whole under the size limit (against the counting
loop), and the lighter `ReadMessage` construction (against `Message()`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import fast_mime
from bounce_sink.parse.fast_mime import (
    ReadMessage,
    field_value,
    first_fields,
    parse_fast,
    parse_headers_only,
)
from bounce_sink.parse.limits import DEFAULT_LIMITS, Limits
from bounce_sink.parse.message_view import MessageView, says_something

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

# The former reading, kept here as the reference.
_OLD_BLOCK = re.compile(r"(?:(?:[\041-\071\073-\176]+:|[\t ])[^\n]*(?:\n|\Z))*")
_OLD_FIELD = re.compile(r"([^:\n]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)\n?")


def _old_fields(head: str) -> list[tuple[str, str]] | None:
    """The fields as the former `_parse_headers` read them, None where it gave up."""
    if head[0] in " \t" or not _OLD_BLOCK.fullmatch(head):
        return None
    fields: list[tuple[str, str]] = _OLD_FIELD.findall(head)
    if "\r" in head:
        fields = [(name, value.rstrip("\r")) for name, value in fields]
    return fields


def _new_fields(head: str) -> list[tuple[str, str]] | None:
    msg = ReadMessage()
    try:
        fast_mime._parse_headers(msg, head)
    except fast_mime._Unusual:
        return None
    return msg._headers


def _paths(corpus_dir: Path) -> list[Path]:
    return sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))


def _calls_while_reading(corpus_dir: Path, name: str) -> list[tuple[Any, ...]]:
    """The arguments of every call the quick reader makes to `fast_mime.<name>`
    while it reads the corpus and fixture messages."""
    calls: list[tuple[Any, ...]] = []
    seen = getattr(fast_mime, name)

    def record(*args: Any, **options: Any) -> Any:
        calls.append(args)
        return seen(*args, **options)

    setattr(fast_mime, name, record)
    try:
        for path in _paths(corpus_dir):
            parse_fast(path.read_bytes())
    finally:
        setattr(fast_mime, name, seen)
    return calls


def _walk(part: Message) -> Iterator[Message]:
    """Every part of a quick tree, the delivery-status blocks and the original too."""
    yield part
    payload = part._payload  # type: ignore[attr-defined]
    if isinstance(payload, list):
        for sub in payload:
            yield from _walk(sub)


def _heads(corpus_dir: Path) -> list[str]:
    """Every header block the quick reader reads in the corpus and fixtures
    (each message's head, each part's and block's), plus each cut short at
    every line (a block may end anywhere)."""
    heads = [head for _msg, head in _calls_while_reading(corpus_dir, "_parse_headers")]
    cut = [head[: m.start() + 1] for head in heads[:300] for m in re.finditer("\n", head)]
    return [h for h in heads + cut if h and not h.startswith("From ")]


def test_field_reading_equals_the_former_reading(corpus_dir: Path) -> None:
    heads = _heads(corpus_dir)
    assert len(heads) > 2000
    refused = 0
    for head in heads:
        old = _old_fields(head)
        assert _new_fields(head) == old, head[:200]
        refused += old is None
    assert refused > 0  # the corpus does hold blocks the reader gives up on


_LINE = st.one_of(
    st.sampled_from(
        [
            "Subject: hello",
            "subject:x",
            "X-A:",
            "Received: from a\r",
            " continued",
            "\tcontinued",
            "no colon here",
            "bad name: x",
            "Na\u00efve: x",
            ":empty name",
            "From x",
            "",
            "\r",
            "A: b\rc",
            "A:: b",
            "A: =?utf-8?q?x?=",
        ]
    ),
    st.text(alphabet=" \t:\r-aZ\u00e9!~;", max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=8), st.booleans())
def test_field_reading_equals_the_former_reading_on_generated_blocks(
    lines: list[str], ends_with_newline: bool
) -> None:
    head = "\n".join(lines) + ("\n" if ends_with_newline else "")
    if not head or head.startswith("From "):
        return  # the From line is taken off before (its own test: test_parse_fast_path)
    assert _new_fields(head) == _old_fields(head)


def _quick_parts(corpus_dir: Path) -> list[Message]:
    parts: list[Message] = []
    for path in _paths(corpus_dir):
        tree = parse_fast(path.read_bytes())
        if tree is not None:
            parts.extend(_walk(tree))
    return parts


def _setdefault_fields(part: Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in part.raw_items():
        found.setdefault(name.lower(), value)
    return found


def test_first_fields_and_field_value_equal_the_message_api(corpus_dir: Path) -> None:
    parts = _quick_parts(corpus_dir)
    assert len(parts) > 900 and all(isinstance(p, ReadMessage) for p in parts)
    names = {"content-transfer-encoding", "content-disposition", "content-type", "x-missing"}
    for part in parts:
        first = first_fields(part)
        assert first == _setdefault_fields(part)
        assert list(first) == list(_setdefault_fields(part))  # the order too
        for name in names | set(first):
            found = part.get(name)
            assert field_value(part, name) == (None if found is None else str(found))


def test_field_value_leaves_8bit_values_to_message_get() -> None:
    part = parse_fast(b'Content-Disposition: attachment; filename="\xe9.eml"\n\nbody\n')
    assert isinstance(part, ReadMessage)
    found = part.get("content-disposition")
    assert not isinstance(found, str)  # compat32 makes it a Header
    assert field_value(part, "content-disposition") == str(found)


def test_first_fields_of_a_stdlib_message_and_a_header_only_reading() -> None:
    text = "Subject: a\nsubject: b\nX-Y: 1\n\nbody"
    for msg in (parse_headers_only(text), Message()):
        assert first_fields(msg) == _setdefault_fields(msg)


def _counted_headers(message: Message, limits: Limits) -> dict[str, str]:
    """The view's headers as the counting loop built them."""
    raw: dict[str, str] = {}
    size = 0
    for name, value in message.raw_items():
        size += len(name) + len(value)
        if size > limits.max_header_bytes:
            break
        raw.setdefault(name.strip().lower(), value)
    return raw


@pytest.mark.parametrize("limits", [DEFAULT_LIMITS, Limits(max_header_bytes=300)])
def test_view_headers_equal_the_counting_loop(corpus_dir: Path, limits: Limits) -> None:
    cut = 0
    for path in _paths(corpus_dir):
        tree = parse_fast(path.read_bytes())
        if tree is None:
            continue
        headers = MessageView(tree, limits).headers
        expected = _counted_headers(tree, limits)
        assert list(headers) == list(expected), path.name
        assert {k: headers._raw[k] for k in headers} == expected, path.name
        cut += len(expected) < len(first_fields(tree))
    assert cut > 0 or limits is DEFAULT_LIMITS  # the small limit does cut


def test_read_message_starts_as_a_message_does() -> None:
    plain, quick = Message(), ReadMessage()
    for name, value in vars(plain).items():
        assert getattr(quick, name) == value, name
    # The mutable ones are the part's own, not shared through the class.
    other = ReadMessage()
    assert quick._headers is not other._headers and quick.defects is not other.defects


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000a.\u200b"), max_size=6)
)
def test_blank_test_of_body_text_equals_strip(text: str) -> None:
    assert says_something(text) == bool(text.strip())


def test_payload_of_a_quick_part_is_its_list_of_parts(corpus_dir: Path) -> None:
    from bounce_sink.parse.text_decoding import payload_of

    lists = 0
    for part in _quick_parts(corpus_dir):
        payload = part._payload  # type: ignore[attr-defined]
        if isinstance(payload, list):
            lists += 1
            # The parts of a quick part are all quick parts (a stdlib list may hold other things).
            assert payload_of(part) is payload
            assert all(isinstance(p, ReadMessage) for p in payload)
    assert lists > 300


def _old_split_head(text: str) -> tuple[str, str]:
    """_split_head as it was: a find for each kind of blank line."""
    if text.startswith("\n"):
        return "", text[1:]
    if text.startswith("\r\n"):
        return "", text[2:]
    lf = text.find("\n\n")
    crlf = text.find("\n\r\n", 0, lf + 2) if lf >= 0 else text.find("\n\r\n")
    if lf < 0 and crlf < 0:
        return text, ""
    if crlf < 0 or (0 <= lf < crlf):
        return text[: lf + 1], text[lf + 2 :]
    return text[: crlf + 1], text[crlf + 3 :]


def _split_in_place(text: str, start: int, end: int) -> tuple[str, str]:
    head_end, body_start = fast_mime._split_at(text, start, end)
    assert start <= head_end <= body_start <= end
    if "\r" not in text:  # the find for "\n\n" splits where the pattern does
        assert fast_mime._split_at(text, start, end, True) == (head_end, body_start)
    return text[start:head_end], text[body_start:end]


def test_split_head_equals_the_former_finds(corpus_dir: Path) -> None:
    # What the quick reader splits: each message's and part's text, in place.
    ranges = [args[:3] for args in _calls_while_reading(corpus_dir, "_split_at")]
    assert len(ranges) > 900
    assert sum(start > 0 or end < len(text) for text, start, end in ranges) > 500
    assert sum("\r" not in text for text, _, _ in ranges) > 500  # the find's splits
    texts = [text[start:end] for text, start, end in ranges]
    # And each message from every line on (blocks end anywhere).
    texts += [t[m.end() :] for t in texts[:40] for m in re.finditer("\n", t)]
    assert len(texts) > 2000
    for text in texts:
        assert fast_mime._split_head(text) == _old_split_head(text)
        if "\r" not in text:
            assert fast_mime._split_head(text, True) == _old_split_head(text)
    for text, start, end in ranges:  # the same split where the reader made it
        assert _split_in_place(text, start, end) == _old_split_head(text[start:end])


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("\n\r a:"), max_size=14),
    st.text(alphabet=st.sampled_from("\n\r a:"), max_size=4),
    st.text(alphabet=st.sampled_from("\n\r a:"), max_size=4),
)
def test_split_head_equals_the_former_finds_on_generated_text(
    text: str, before: str, after: str
) -> None:
    assert fast_mime._split_head(text) == _old_split_head(text)
    if "\r" not in text:
        assert fast_mime._split_head(text, True) == _old_split_head(text)
    whole = before + text + after  # the same text read in place inside a longer one
    assert _split_in_place(whole, len(before), len(before) + len(text)) == _old_split_head(text)


_LAZY_SCRIPT = r"(?is)<(script|style)\b.*?</\1>"  # the former pattern


def test_script_pattern_removes_what_the_lazy_one_did(corpus_dir: Path) -> None:
    from bounce_sink.parse.message_view import _SCRIPT

    htmls = [
        part.get_payload(decode=True).decode("utf-8", "replace")  # type: ignore[union-attr]
        for part in _quick_parts(corpus_dir)
        if part.get_content_type() == "text/html"
    ]
    assert sum("<style" in h.lower() for h in htmls) >= 2
    for html in htmls:
        assert re.sub(_SCRIPT, " ", html) == re.sub(_LAZY_SCRIPT, " ", html)


_HTML_PIECE = st.sampled_from(
    [
        *("<script", "<SCRIPT", "<style", "<Style", "<\u017ftyle"),
        *("</script>", "</style>", "</STYLE>", "</script", "</styl>"),
        *("<", ">", "/", " ", "\n", "x", "<scripts", "style>", "<b>", "</"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_HTML_PIECE, max_size=12))
def test_script_pattern_removes_what_the_lazy_one_did_on_generated_html(pieces: list[str]) -> None:
    from bounce_sink.parse.message_view import _SCRIPT

    html = "".join(pieces)
    assert re.sub(_SCRIPT, " ", html) == re.sub(_LAZY_SCRIPT, " ", html)


def _least_find(folded: str) -> int:
    """The marker words' earliest start as it was found: one find per word."""
    from bounce_sink.parse.message_view import _INLINE_ORIGINAL_WORDS

    found = [at for at in map(folded.find, _INLINE_ORIGINAL_WORDS) if at >= 0]
    return min(found) if found else -1


def test_first_marker_word_equals_the_least_find(corpus_dir: Path) -> None:
    from bounce_sink.parse.message_view import _first_word

    found = 0
    for path in _paths(corpus_dir):
        tree = parse_fast(path.read_bytes())
        if tree is None:
            continue
        folded = MessageView(tree, DEFAULT_LIMITS).body_text.lower()
        for text in (folded, folded[folded.find("message") + 1 :]):
            assert _first_word(text) == _least_find(text), path.name
        found += _first_word(folded) >= 0
    assert found > 40


_MARKER_PIECE = st.sampled_from(
    [
        *("message", "messag", "essage", "message ", " message", "messagemessage"),
        *("copy of the ", "original ", "the original ", "returned ", "your ", "unsent "),
        *("rfc822 ", "headers", "header", " follow", "s follow", " follows", "s", " reads"),
        *("headers of the original", "below this line is a copy", "original mail follows"),
        *("------ this is a copy of", "x", " ", "\n", "-"),
        # the four characters next to "message" that _first_word looks up
        *("the ", "copy of ", "nal ", "ned ", "our ", "ent ", "822 ", " hea", "rfc822"),
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_MARKER_PIECE, max_size=10))
def test_first_marker_word_equals_the_least_find_on_generated_text(pieces: list[str]) -> None:
    from bounce_sink.parse.message_view import _first_word

    text = "".join(pieces)
    assert _first_word(text) == _least_find(text)


def _parts(part: Message) -> list[Message]:
    payload = part.get_payload()
    assert isinstance(payload, list), payload
    parts = [p for p in payload if not isinstance(p, str)]
    assert len(parts) == len(payload), payload
    return parts


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_parts_read_in_place_keep_the_line_end_rule(eol: str) -> None:
    """The line end before a boundary is taken off the last message's payload,
    except a returned multipart original's (left unparsed: the feed parser
    would cut its epilogue, not its body), as when each part was copied out."""
    raw = eol.join(
        [
            'Content-Type: multipart/report; boundary="b"',
            "",
            "--b",
            "Content-Type: text/plain",
            "",
            "text",
            "",
            "--b",
            "Content-Type: message/rfc822",
            "",
            'Content-Type: multipart/alternative; boundary="c"',
            "",
            "--c",
            "",
            "inner",
            "--c--",
            "",
            "--b",
            "Content-Type: message/rfc822",
            "",
            "Subject: plain original",
            "",
            "body",
            "",
            "--b--",
            "",
        ]
    ).encode()
    tree = parse_fast(raw)
    assert tree is not None
    text, multipart_original, plain_original = _parts(tree)
    assert text.get_payload() == "text" + eol
    assert _parts(multipart_original)[0].get_payload() == eol.join(
        ["--c", "", "inner", "--c--", "", ""]
    )
    assert _parts(plain_original)[0].get_payload() == "body" + eol
