"""The empty-message test answers as `not data.strip()` did."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.pipeline import is_blank, parse_bytes


def test_every_short_byte_string_of_blanks_and_others() -> None:
    alphabet = [
        b" ",
        b"\t",
        b"\n",
        b"\r",
        b"\x0b",
        b"\x0c",
        b"\x1c",
        b"\x85",
        b"\xa0",
        b"a",
        b"\x00",
    ]
    for size in range(4):
        for chars in itertools.product(alphabet, repeat=size):
            data = b"".join(chars)
            assert is_blank(data) == (not data.strip()), data


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_generated_bytes(data: bytes) -> None:
    assert is_blank(data) == (not data.strip())


def test_blank_messages_are_reported_empty() -> None:
    assert parse_bytes(b" \r\n\t\x0b\x0c").error == "empty message"
    assert parse_bytes(b"").error == "empty message"
    assert parse_bytes(b"\n\nx").error != "empty message"
