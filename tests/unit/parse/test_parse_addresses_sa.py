"""find_addresses reads a text that is one plain address (bare, or in angle
brackets after a name) without the search, and a text without "@" not at
all, and finds what `ADDRESS.finditer` found; clean_address likewise gives
what its search gave.

Compared on every header value and body text (and each of its lines) of the
corpus and fixture messages, and on generated text made of the pieces the
shortcut reasons about: "@", "<", ">", blanks, quotes, the "smtp="/"rfc-822="
prefixes, dots, "%", "+", "_", long local parts and the characters the
lookbehind looks at.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.addresses import _PLAIN_ADDRESS, ADDRESS, clean_address, find_addresses
from bounce_sink.parse.message_view import MessageView

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _former(text: str) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for m in ADDRESS.finditer(text):
        addr = m.group(1).strip(".")
        if addr.lower() not in seen:
            seen.add(addr.lower())
            out.append(addr)
    return out


def _former_clean(value: str) -> str:
    text = value.strip()
    if ";" in text:
        head, _, tail = text.partition(";")
        if "@" not in head or head.strip().lower() in ("rfc822", "utf-8", "x-local", "unknown"):
            text = tail
    text = text.strip().strip("<>").strip()
    m = ADDRESS.search(text)
    if m:
        return m.group(1).strip(".").strip("'")
    return text.strip("<>\"' ")


def _same(text: str) -> None:
    assert find_addresses(text) == _former(text), text
    assert clean_address(text) == _former_clean(text), text


def test_every_corpus_and_fixture_value_and_text(
    corpus_dir: Path, quick_views: list[tuple[Path, MessageView]]
) -> None:
    texts: list[str] = []
    for _, view in quick_views:
        texts.extend(view.headers.get(name, "") for name in view.headers)
        texts.append(view.body_text)
        texts.extend(view.body_text.splitlines())
    assert len(texts) > 5000
    assert sum(len(_former(text)) > 1 for text in texts) > 100  # several addresses in one
    assert sum(bool(_PLAIN_ADDRESS.fullmatch(text)) for text in texts) > 500  # the shortcut
    for text in texts:
        _same(text)
    # What clean_address is given: the recipients' field values and the addresses found.
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        data = path.read_bytes()
        for line in data.decode("utf-8", "replace").splitlines():
            name, sep, value = line.partition(":")
            if sep and name.lower() in ("final-recipient", "original-recipient", "to", "from"):
                _same(value)


_PIECES = [
    "@",
    "<",
    ">",
    " ",
    "\t",
    "\n",
    '"',
    '"a b@c"',
    "smtp=",
    "SMTP=",
    "rfc-822=",
    "rfc822=",
    "x=",
    "a",
    "user",
    ".",
    "-",
    "+",
    "/",
    "!",
    ",",
    ";",
    ":",
    "(",
    "[",
    "]",
    "example.com",
    "[192.0.2.1]",
    "%",
    "_",
    "..",
    ".co",
    "a@b.co",
    "Name <",
    "<a@b.co>",
    "'",
    ";",
    "é",
    "ſ",
    "u" * 70,
    "v" * 130,
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    _same(text)
    _same("rfc822; " + text)


def test_shapes() -> None:
    for text, expected in (
        ("Mail Delivery Subsystem <MAILER-DAEMON@example.com>", ["MAILER-DAEMON@example.com"]),
        ("MAILER-DAEMON@example.jp (Mail Delivery System)", ["MAILER-DAEMON@example.jp"]),
        ("no address here", []),
        ("c=US;a= ;dda:SMTP=user@example.com", ["user@example.com"]),
        ('"Some One" <"some one"@example.com>', ['"some one"@example.com']),
        ("a@example.com, b@example.org; A@EXAMPLE.COM", ["a@example.com", "b@example.org"]),
        ("say " + "x" * 128 + "@example.com", ["x" * 128 + "@example.com"]),
        ("say y" + "x" * 128 + "@example.com", []),  # no start: the lookbehind
        ("say !" + "x" * 128 + "@example.com", ["x" * 128 + "@example.com"]),
        (".a.@b.example.com", ["a.@b.example.com"]),
        ("<x%y+z@a_b.example.com>", ["x%y+z@a_b.example.com"]),
        ("a <b> <c@example.com>", ["c@example.com"]),
        ("a@x <c@example.com>", _former("a@x <c@example.com>")),
        ("a@b..example.com", []),
        ("a@.example.com", []),
        ("a@b%c.example.com", []),
        ("a@b+c.example.com", []),
        ("x" * 129 + "@example.com", []),
        ("<" + "x" * 129 + "@example.com>", []),
        ("@example.com", []),
        ("a@example", []),
        ("Name <a@b..example.com>", []),
        ("x@example.com.", ["x@example.com"]),
        ("smtp=x@example.com", ["x@example.com"]),
    ):
        assert find_addresses(text) == expected == _former(text), text
        _same(text)
        _same("rfc822;" + text)
