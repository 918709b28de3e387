"""The view's lazily decoded headers answer as a dict of the decoded values would.

get() decodes a plain ASCII one-line value itself (strip, as
decode_header_value does for it) instead of calling decode_header_value:
compared with the call on every field of the corpus and fixture messages
and on generated values."""

from __future__ import annotations

import email
from email._policybase import compat32
from email.message import Message
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import first_fields, parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import LazyHeaders, MessageView
from bounce_sink.parse.text_decoding import decode_header_value

RAW = {
    "subject": "=?utf-8?B?w7xiZXI=?= mail",
    "from": "MAILER-DAEMON@example.com",
    "received": "from a.example.com\n\tby b.example.org",
    "x-empty": "",
}


def test_lazy_headers_answer_as_the_decoded_dict() -> None:
    decoded = {key: decode_header_value(value)[:4000] for key, value in RAW.items()}
    headers = LazyHeaders(dict(RAW))
    for _ in range(2):  # first reads decode, second reads remember
        for key, value in decoded.items():
            assert headers.get(key) == value
            assert headers.get(key, "x") == value
            assert headers[key] == value
    assert headers.get("x-missing") is None
    assert headers.get("x-missing", "") == ""
    with pytest.raises(KeyError):
        headers["x-missing"]
    assert "x-empty" in headers and "x-missing" not in headers
    assert list(headers) == list(RAW) and len(headers) == len(RAW)
    assert dict(headers.items()) == decoded


# --- the plain-value shortcut of get() and the lower-case-first header() ------------

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _field_dicts(corpus_dir: Path) -> list[dict[str, str]]:
    """The fields of every part of every corpus/fixture message, read by both readers."""
    found: list[dict[str, str]] = []
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        data = path.read_bytes()
        for tree in (parse_fast(data), email.message_from_bytes(data, policy=compat32)):
            if tree is not None:
                found.extend(first_fields(part) for part in tree.walk())
    return found


def test_lazy_headers_equal_decoding_every_corpus_field(corpus_dir: Path) -> None:
    fields = _field_dicts(corpus_dir)
    plain = 0
    for raw in fields:
        headers = LazyHeaders(raw)
        for key, value in raw.items():
            assert headers.get(key) == decode_header_value(value)[:4000], (key, value)
            plain += value.isascii() and "=?" not in value and "\n" not in value
    assert plain > 10_000  # the shortcut is taken, and the others are there too
    assert len(fields) > 2000


_VALUE = st.text(alphabet=" \t\r\n=?Qq_aZ\x1b\u00e9\udce9:.-", max_size=30)


@settings(max_examples=500, deadline=None)
@given(_VALUE)
def test_lazy_headers_equal_decoding_generated_values(value: str) -> None:
    assert LazyHeaders({"x": value}).get("x") == decode_header_value(value)[:4000]


def test_header_takes_any_case_of_a_name() -> None:
    view = MessageView(
        parse_fast(b"Subject: hi\nX-Failed-Recipients: a@example.com\n\nbody\n") or Message(),
        DEFAULT_LIMITS,
    )
    for name in ("subject", "Subject", "SUBJECT"):
        assert view.header(name) == "hi"
    for name in ("x-failed-recipients", "X-Failed-Recipients"):
        assert view.header(name) == "a@example.com"
    for name in ("to", "To", "-", ""):
        assert view.header(name) == ""
