"""decode_header_value takes ASCII text without escapes straight to unfolding
and the encoded words, and gives what the former way gave.

The former way (kept here) asked every value that was not plain one-line
ASCII whether it is a Header and holds surrogate escapes first. Compared on
every header value (raw) of the corpus and fixture messages, and on
generated values of folds, CRs, encoded words, escapes and 8-bit text.
"""

from __future__ import annotations

import email
import sys
from email._policybase import compat32
from email.header import Header
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse import text_decoding
from bounce_sink.parse.text_decoding import decode_header_value

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _former(value: object) -> str:
    if value is None:
        return ""
    if (
        type(value) is str
        and value.isascii()
        and "\n" not in value
        and "\r" not in value
        and "=?" not in value
        and "\x1b" not in value
    ):
        return value.strip()
    header_module = sys.modules.get("email.header")
    if header_module is not None and isinstance(value, header_module.Header):
        raw = (
            str(value)
            if not text_decoding._has_surrogates(str(value))
            else text_decoding._surrogates_to_text(str(value))
        )
        text = raw
    else:
        text = str(value)
        if text_decoding._has_surrogates(text):
            text = text_decoding._surrogates_to_text(text)
    if "\x1b" in text:
        text = text_decoding.decode_bytes(
            text.encode("utf-8", errors="surrogateescape"), "iso-2022-jp"
        )
    text = text_decoding.unfold(text)
    if "=?" in text:
        text = text_decoding._BETWEEN_WORDS.sub(r"\1\2", text)
        text = text_decoding._ENCODED_WORD.sub(
            lambda m: text_decoding._decode_word(m.group(1), m.group(2), m.group(3)), text
        )
    return text.strip()


def test_every_corpus_and_fixture_value(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    folded = encoded = 0
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=compat32)
        for part in message.walk():
            for _, value in part.raw_items():
                folded += "\n" in value
                encoded += "=?" in value
                assert decode_header_value(value) == _former(value), (path.name, value)
            for name in part:
                found = part.get(name)
                assert decode_header_value(found) == _former(found)
    assert folded > 500
    assert encoded > 20


_PIECES = [
    "a",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\n ",
    "=?",
    "?=",
    "=?utf-8?q?caf=C3=A9?=",
    "=?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=",
    "=?utf-8?b?w6k=?=",
    "=\r?",
    "\x1b$B",
    "\x1b(B",
    "é",
    "\udce9",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20))
def test_generated_values(pieces: list[str]) -> None:
    value = "".join(pieces)
    assert decode_header_value(value) == _former(value)


def test_headers_and_none() -> None:
    assert decode_header_value(None) == ""
    header = Header("caf\xe9 =?utf-8?q?x?=", "utf-8")
    assert decode_header_value(header) == _former(header)
