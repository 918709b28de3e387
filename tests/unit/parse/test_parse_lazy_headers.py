"""The view's lazily decoded headers answer as a dict of the decoded values would."""

from __future__ import annotations

import pytest

from bounce_sink.parse.message_view import LazyHeaders
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
