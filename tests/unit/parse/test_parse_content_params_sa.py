"""simple_params tests a segment's quotes only where it has one and unquotes
inline, and answers as the former reading (kept here) did: the same dict, or
None, on every Content-Type and Content-Disposition value of the corpus and
fixture messages and on generated values of quotes, brackets, stars,
backslashes and blanks.
"""

from __future__ import annotations

import email
from email._policybase import compat32
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import _unquote, simple_params

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _former(value: str) -> dict[str, str] | None:
    if not value.isascii() or "\\" in value:
        return None
    segments = value.split(";")
    params: dict[str, str] = {}
    if "=" not in segments[0]:
        if segments[0].count('"') % 2:
            return None
        params[segments[0].strip().lower()] = ""
        del segments[0]
    for segment in segments:
        if segment.count('"') % 2:
            return None
        name, _, raw = segment.partition("=")
        name = name.strip().lower()
        if "*" in name:
            return None
        found = _unquote(raw.strip())
        if '"' in found:
            return None
        params.setdefault(name, found)
    return params


def _same(value: str) -> None:
    new, old = simple_params(value), _former(value)
    assert new == old, value
    if new is not None and old is not None:
        assert list(new) == list(old), value


def test_every_corpus_and_fixture_value(corpus_dir: Path) -> None:
    values = []
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=compat32)
        for part in message.walk():
            for name, value in part.raw_items():
                if name.lower() in ("content-type", "content-disposition"):
                    values.append(str(value))
    assert len(values) > 1000
    assert any('"' in v for v in values)
    for value in values:
        _same(value)


_PIECES = ['"', "<", ">", ";", "=", " ", "\t", "\n", "*", "\\", "a", "B", "/", "é", "<b>", '"q"']


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16))
def test_generated_values(pieces: list[str]) -> None:
    _same("".join(pieces))
    _same("text/plain; " + "".join(pieces))


def test_shapes() -> None:
    for value in (
        'text/plain; charset="us-ascii"',
        "multipart/mixed; boundary=<b>;",
        'text/plain; name="<x>"',
        'text/plain; name=<"x">',
        "text/plain; name=<>",
        'text/plain; name="',
        "text/plain; name*=x",
        'a="b";c=d',
    ):
        _same(value)
