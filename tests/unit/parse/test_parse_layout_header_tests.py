"""LayoutFormat.matches answers as the plain searches of its header tests do.

Long header values (Received) get the word test before the search; that
shortcut must never change an answer. Every LayoutFormat of the format
modules is asked about the headers of every corpus and fixture message,
and about generated Received values, and compared with the plain way.
"""

from __future__ import annotations

import email
import importlib
import pkgutil
from collections.abc import Mapping
from email._policybase import compat32
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import bounce_sink.parse.formats as formats_package
from bounce_sink.parse.formats.layout_format import LayoutFormat
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _layout_formats() -> list[LayoutFormat]:
    found: dict[int, LayoutFormat] = {}
    for info in pkgutil.iter_modules(formats_package.__path__):
        module = importlib.import_module(f"{formats_package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, LayoutFormat):
                found[id(value)] = value
    return list(found.values())


def _plain_matches(fmt: LayoutFormat, headers: Mapping[str, str]) -> bool:
    results: list[bool] = []
    if fmt.from_ is not None:
        results.append(fmt.from_.search(headers.get("from", "")) is not None)
    if fmt.subject is not None:
        results.append(fmt.subject.search(headers.get("subject", "")) is not None)
    if fmt.header_names:
        results.append(any(h in headers for h in fmt.header_names))
    for name, pattern in fmt.header_values:
        results.append(pattern.search(headers.get(name, "")) is not None)
    if not results:
        return False
    return all(results) if fmt.require_all else any(results)


FORMATS = _layout_formats()


def test_every_layout_format_on_every_message(corpus_dir: Path) -> None:
    assert any(f.header_values for f in FORMATS)
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    passed = 0
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(), policy=compat32)
        headers = MessageView(message, DEFAULT_LIMITS).headers
        for fmt in FORMATS:
            expected = _plain_matches(fmt, headers)
            assert fmt.matches(headers) is expected, (path.name, fmt.name)
            passed += expected
    assert passed > 100  # the corpus has messages of these formats: both answers were seen


_WORDS = ["DragonFly Mail Agent", "dragonfly", "MAILFOUNDRY", "Lotus Domino", "Lotus SMTP MTA"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_WORDS, "from mx.example.com", " ", "\u0130", "\u212a", "é", "(", ")"]),
        max_size=20,
    )
)
def test_generated_long_values(pieces: list[str]) -> None:
    value = " ".join(pieces)
    headers = {"received": value, "x-mailer": value, "x-mlserver": value}
    for fmt in FORMATS:
        assert fmt.matches(headers) is _plain_matches(fmt, headers), (value, fmt.name)
