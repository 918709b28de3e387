"""Session 9's quicker ways in the pipeline, the delivery-status reader and the
prose readers give what the patterns and calls they replaced gave.

Each is compared with the former way over the corpus and fixture messages
and over generated input, so a shortcut that ever changes a result fails
here rather than silently in a report.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import pipeline
from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.formats import REFINERS, REGISTRY, _gate, dispatch, text_bounce
from bounce_sink.parse.formats.dispatch import Dispatch
from bounce_sink.parse.formats.text_bounce import (
    _DELAY_NOTICE,
    _PASTED_HEADERS,
    pasted_headers_start,
    subject_says_delayed,
)
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import Report
from bounce_sink.parse.rfc3464 import _is_field_name
from bounce_sink.parse.sendmail_transcript import _is_code_line
from bounce_sink.parse.smtp_codes import strip_type_prefix
from bounce_sink.parse.text_decoding import decode_header_value

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

# The patterns as they were.
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_CODE_LINE = re.compile(r"^[245]\d\d[ -]")
_SEPARATOR = re.compile(r"^\s*-{3,}")
_RECEIVED = re.compile(r"^<<<\s*(.*)$")
_LEADING_PUNCTUATION = re.compile(r"^[.:,]+\s*")

# Characters near each pattern's edges: ASCII classes, the digits and letters
# `isdecimal`/`isalpha` take beyond ASCII, and whitespace of every kind.
_NEAR = "aZz09-_:.,<>;2453 \t\x0b\x0c\x1c\x85\xa0\u2028\u3000\u0661\u00b2\u00e9\u0130\u212a"


def _paths(corpus_dir: Path) -> list[Path]:
    return sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_NEAR, max_size=12))
def test_field_name_test_is_the_pattern(name: str) -> None:
    assert _is_field_name(name) is bool(_FIELD_NAME.fullmatch(name))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_NEAR, max_size=8))
def test_code_line_test_is_the_pattern(line: str) -> None:
    assert _is_code_line(line) is bool(_CODE_LINE.match(line))


def test_code_line_edges_are_the_patterns() -> None:
    # Digits \d takes (Arabic-Indic) and does not (superscript two).
    for line in (
        "550 x",
        "450-x",
        "250 ",
        "550",
        "55 0 x",
        "650 x",
        "5\u06610 x",
        "5\u00b20 x",
        "5500",
    ):
        assert _is_code_line(line) is bool(_CODE_LINE.match(line)), line


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="-<> \t\x0b\x85\u3000ab5", max_size=10))
def test_transcript_line_tests_are_the_patterns(raw: str) -> None:
    line = raw.strip()  # the transcript reader reads stripped lines
    if not line:
        return
    assert line.startswith("---") is bool(_SEPARATOR.match(line))
    received = _RECEIVED.match(line)
    assert line.startswith("<<<") is bool(received)
    if received:
        assert line[3:].strip() == received.group(1).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=".:,; \t\n\x0b\x1c\x85\xa0\u2028\u3000ab", max_size=10))
def test_leading_punctuation_strip_is_the_pattern(text: str) -> None:
    rest = text.lstrip()  # as explanation_for has it before
    assert rest.lstrip(".:,").lstrip() == _LEADING_PUNCTUATION.sub("", rest)


def test_corpus_lines_and_field_names_agree(corpus_dir: Path) -> None:
    names = 0
    for path in _paths(corpus_dir):
        text = path.read_bytes().decode("utf-8", "replace")
        for line in text.splitlines():
            stripped = line.strip()
            assert _is_code_line(stripped) is bool(_CODE_LINE.match(stripped))
            name = line.partition(":")[0]
            names += 1
            assert _is_field_name(name) is bool(_FIELD_NAME.fullmatch(name))
    assert names > 10000


def _kept_as_it_was(view: MessageView) -> dict[str, str]:
    return {
        key: decode_header_value(value)[:1000]
        for key, value in view.original_fields.items()
        if key in pipeline._KEPT or key.startswith("x-mailing")
    }


def test_original_headers_are_kept_as_they_were(corpus_dir: Path) -> None:
    seen = 0
    for path in _paths(corpus_dir):
        data = path.read_bytes()
        tree = parse_fast(data) or pipeline._stdlib_tree(data)
        view = MessageView(tree, DEFAULT_LIMITS)
        report = Report()
        pipeline._fill_original(report, view)
        if view.original is None:
            assert report.original_headers == {}
            continue
        expected = _kept_as_it_was(view)
        assert report.original_headers == expected
        assert list(report.original_headers) == list(expected)  # the same order
        seen += bool(expected)
    assert seen > 200


def _pasted_as_searched(text: str) -> int:
    m = _PASTED_HEADERS.search(text)
    return m.start() if m else -1


def test_pasted_headers_start_on_every_text(view_texts: list[tuple[Path, list[str]]]) -> None:
    found = 0
    for _path, texts in view_texts:
        for text in texts:
            lower = text.lower()
            assert pasted_headers_start(text, lower) == _pasted_as_searched(text)
            found += pasted_headers_start(text, lower) >= 0
    assert found > 50


_PASTED_PIECES = [
    "Received:", "received: x", "RECEIVED:from", "received :", "Return-Path: <a@b>",
    "return-path:\t", "return-path:x", "X-Mailer: m", "Message-ID:<1@b>", "message-id: ",
    "ARC-Seal: i=1", "MIME-Version: 1.0", "was received at", "\n", "\n", " ", "\t", ">", "> ",
    "-", "x", ":", "\u0130", "\u212a", "\xe9",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PASTED_PIECES), max_size=14))
def test_pasted_headers_start_on_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert pasted_headers_start(text, text.lower()) == _pasted_as_searched(text), text
    assert pasted_headers_start(text) == _pasted_as_searched(text), text


def _dispatches() -> list[tuple[Dispatch[Any], Dispatch[Any]]]:
    """(remembering, not remembering) twins of both registry dispatches."""
    pairs: list[tuple[Dispatch[Any], Dispatch[Any]]] = []
    registry_gates = tuple(_gate(f) for f in REGISTRY)
    refiner_gates = tuple(_gate(f) for f, _ in REFINERS)
    both: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = [
        (REGISTRY, registry_gates),
        (REFINERS, refiner_gates),
    ]
    for formats, gates in both:
        remembering, plain = Dispatch(formats, gates), Dispatch(formats, gates)
        plan = plain._build()
        plain._plan = tuple((f, t, n, w, None) for f, t, n, w, _ in plan)
        assert any(seen is not None for *_, seen in remembering._build())
        pairs.append((remembering, plain))
    return pairs


def test_remembered_field_values_give_the_answers_read_afresh(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = []
    for path in _paths(corpus_dir):
        data = path.read_bytes()
        headers.append(
            MessageView(parse_fast(data) or pipeline._stdlib_tree(data), DEFAULT_LIMITS).headers
        )
    # A bound of 3 values: the fields start over again and again.
    monkeypatch.setattr(dispatch, "_MAX_VALUES", 3)
    for remembering, plain in _dispatches():
        for _ in range(2):  # the second time, every Subject and From remembered
            for h in headers:
                assert remembering.candidates(h) == plain.candidates(h)
    monkeypatch.undo()
    for remembering, plain in _dispatches():
        for _ in range(2):
            for h in headers:
                assert remembering.candidates(h) == plain.candidates(h)


_TYPE_PREFIX_AS_IT_WAS = re.compile(
    r"\s*(?:smtp|x-[\w.-]+|mail|unix|x400|dns|unknown)\s*;\s*", re.IGNORECASE
)


def _stripped_as_it_was(text: str) -> str:
    if ";" not in text:
        return text
    m = _TYPE_PREFIX_AS_IT_WAS.match(text)
    return text[m.end() :] if m else text


_TYPE_PIECES = [
    "smtp", "SMTP", "Smtp", "x-", "X-", "unix", "x400", "X400", "dns", "unknown", "UNKNOWN",
    "mail", "rfc822", "x-postfix", "X-Unix", "ut", "a", "_", ".", "-", "1", ";", ";", " ",
    "\t", "\n", "\x1c", "\xa0", "\u3000", "\u017f", "\u212a", "\u0130", "\xe9", "550 5.1.1",
]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_TYPE_PIECES), max_size=8))
def test_type_prefix_strip_is_the_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert strip_type_prefix(text) == _stripped_as_it_was(text), text


def test_type_prefix_strip_on_every_field_value(
    view_texts: list[tuple[Path, list[str]]],
) -> None:
    stripped = 0
    for _path, texts in view_texts:
        for text in texts:
            for line in text.splitlines():
                value = line.partition(":")[2]
                assert strip_type_prefix(value) == _stripped_as_it_was(value), value
                stripped += strip_type_prefix(value) != value
    assert stripped > 300


def test_type_prefix_strip_with_letters_that_fold_to_ascii() -> None:
    # IGNORECASE matches LONG S to "s" and KELVIN SIGN to "k"; \w takes both.
    for text in (
        "\u017fmtp; 550 x",
        "un\u212anown; x",
        "x-\u212a; x",
        "X-\u0130;x",
        "smtp;\u3000x",
    ):
        assert strip_type_prefix(text) == _stripped_as_it_was(text), text
        assert strip_type_prefix(text) != text


_ORIGINAL_HEADERS = (
    "Message-ID: <1@example.org>\r\n"
    "X-Mailing-Id: 42\r\n"
    "X-Mailing-List: <list@example.org>\r\n"
    "X-Mailingx: kept too\r\n"
    "X-Mailin: not kept\r\n"
    "X-Campaign-Id:   c-7  \r\n"
    "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
    "To: a@example.com,\r\n b@example.com\r\n"
    "X-Spam: no\r\n"
    "X-Job: \t\x1b$B$3$s$K$A$O\x1b(B\r\n"  # ISO-2022-JP, raw
    "From: list@example.org\r\n"
)


def test_original_headers_of_every_kind_are_kept_as_they_were() -> None:
    # Names kept by prefix, encoded, folded and control-character values.
    for fields in (_ORIGINAL_HEADERS, _ORIGINAL_HEADERS.replace("\r\n", "\n")):
        data = (
            "From: MAILER-DAEMON@example.org\nTo: list@example.org\nSubject: x\n"
            'MIME-Version: 1.0\nContent-Type: multipart/report; boundary="b"\n\n'
            "--b\nContent-Type: text/plain\n\nfailed\n"
            "--b\nContent-Type: message/rfc822\n\n" + fields + "\nbody\n--b--\n"
        ).encode()
        for tree in (parse_fast(data), pipeline._stdlib_tree(data)):
            assert tree is not None
            view = MessageView(tree, DEFAULT_LIMITS)
            report = Report()
            pipeline._fill_original(report, view)
            expected = _kept_as_it_was(view)
            assert report.original_headers == expected
            assert list(report.original_headers) == list(expected)
            assert {"x-mailing-id", "x-mailing-list", "x-mailingx"} <= set(expected)
            assert "x-mailin" not in expected


_DELAY_AS_IT_WAS = re.compile(_DELAY_NOTICE.pattern, _DELAY_NOTICE.flags)

_SUBJECT_PIECES = [
    "Delivery ", "delayed", "DELAYED", "is ", "has been delayed", "Warning: ", "message ",
    "(delay)", "Undelivered Mail", "will continue trying", "not yet been delivered", " ",
    "\u017f", "\u0130", "x",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SUBJECT_PIECES), max_size=6), st.sampled_from([None, 0, 2]))
def test_remembered_delay_subjects_answer_as_the_pattern(
    pieces: list[str], room: int | None
) -> None:
    subject = "".join(pieces)
    expected = _DELAY_AS_IT_WAS.search(subject) is not None
    saved = text_bounce._DELAYED_SUBJECTS, text_bounce._MAX_SUBJECTS
    if room is not None:  # a bound of 0 or 2: the table starts over again and again
        text_bounce._DELAYED_SUBJECTS, text_bounce._MAX_SUBJECTS = {}, room
    try:
        for _ in range(2):  # read, then remembered
            assert subject_says_delayed(subject) is expected, subject
    finally:
        text_bounce._DELAYED_SUBJECTS, text_bounce._MAX_SUBJECTS = saved


def test_remembered_delay_subjects_on_every_message(corpus_dir: Path) -> None:
    delayed = 0
    for _ in range(2):
        for path in _paths(corpus_dir):
            data = path.read_bytes()
            subject = MessageView(
                parse_fast(data) or pipeline._stdlib_tree(data), DEFAULT_LIMITS
            ).subject
            expected = _DELAY_AS_IT_WAS.search(subject) is not None
            assert subject_says_delayed(subject) is expected, subject
            delayed += expected
    assert delayed > 4
