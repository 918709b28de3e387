"""Base64 and quoted-printable are undone by binascii, as `base64.b64decode`
and `quopri.decodestring` did it (that a parse run imports neither module, nor
struct, is checked in test_parse_cold_imports.py).

`base64.b64decode(s, validate=v)` is `binascii.a2b_base64(s, strict_mode=v)`
after turning an ASCII str into bytes (a non-ASCII one raises ValueError);
`quopri.decodestring(s, header=h)` is `binascii.a2b_qp(s, header=h)`. The
encoded words of headers and the quick reader's bodies call binascii
directly. The reference here is the former call (the quick reader's
quoted-printable bodies: tests/unit/parse/test_parse_fast_mime_part.py).
"""

from __future__ import annotations

import base64
import binascii
import quopri

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import _decode_base64
from bounce_sink.parse.text_decoding import _decode_word, decode_bytes


def _former_decode_word(charset: str, encoding: str, text: str) -> str:
    try:
        if encoding in "bB":
            pad = "=" * (-len(text) % 4)
            data = base64.b64decode(text + pad, validate=False)
        else:
            data = quopri.decodestring(
                text.replace("_", " ").encode("ascii", "replace"), header=True
            )
    except (binascii.Error, ValueError):
        return text
    return decode_bytes(data, charset)


_B64_TEXT = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .\u00e9\u3042",
    max_size=40,
)


_QP_TEXT = st.text(alphabet="=_ ABCDEFabcdef0123456789?\t\n\r.\u00e9\u3042", max_size=40)
_CHARSETS = st.sampled_from(["utf-8", "iso-2022-jp", "x-unknown", "latin-1"])


@settings(max_examples=500, deadline=None)
@given(text=_B64_TEXT, charset=_CHARSETS)
def test_an_encoded_word_decodes_as_b64decode_did(text: str, charset: str) -> None:
    for encoding in "bB":
        assert _decode_word(charset, encoding, text) == _former_decode_word(charset, encoding, text)


@settings(max_examples=500, deadline=None)
@given(text=_QP_TEXT, charset=_CHARSETS)
def test_an_encoded_word_decodes_as_quopri_did(text: str, charset: str) -> None:
    for encoding in "qQ":
        assert _decode_word(charset, encoding, text) == _former_decode_word(charset, encoding, text)


def test_encoded_words_of_every_shape() -> None:
    for text in (
        "",
        "aGk",
        "aGk=",
        "aGk==",
        "a",
        "ab",
        "abc",
        "a=b",
        "4pyTIMOg",
        "\u00e9xyz",
        "!!",
    ):
        assert _decode_word("utf-8", "B", text) == _former_decode_word("utf-8", "B", text), text
    for text in ("", "a_b", "=E2=9C=93", "=e2=9c=93", "=", "=4", "=ZZ", "a=\nb", "caf=C3=A9_x"):
        assert _decode_word("utf-8", "Q", text) == _former_decode_word("utf-8", "Q", text), text


def _former_strict(encoded: bytes) -> bytes | None:
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        return None


@settings(max_examples=500, deadline=None)
@given(
    st.binary(max_size=30),
    st.sampled_from([b"", b"\n", b"*", b"=", b"==", b"===", b"****", b"-_-_", b"ab\n\n"]),
)
def test_a_base64_body_decodes_as_b64decode_did(raw: bytes, noise: bytes) -> None:
    encoded = base64.b64encode(raw)
    for body in (encoded, encoded + noise, noise + encoded, encoded[:-1], encoded[1:]):
        value, defects = _decode_base64(body)
        short = len(body) % 4
        strict = _former_strict(body + b"==="[: 4 - short] if short else body)
        if strict is not None:
            assert value == strict
            continue
        try:
            lenient = base64.b64decode(body, validate=False)
        except binascii.Error:
            try:
                lenient = base64.b64decode(body + b"==", validate=False)
            except binascii.Error:
                lenient = body
        assert value == lenient
        assert defects
