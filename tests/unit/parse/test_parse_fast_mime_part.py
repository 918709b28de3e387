"""The quick reader's parts answer as the stdlib's `Message` parts do, and
reading the common message imports no part of `email` beyond email.errors.

`ReadMessage` is not an `email.message.Message`: it answers the readers'
questions itself and sends the rarer ones to a stdlib `Message` built from
it. Every question a reader (or a test) asks is asked here of each quick
part and of the stdlib parser's part at the same place in the tree, over
every corpus and fixture message and generated parts (8-bit fields, broken
base64, quoted-printable, uuencode, a pasted original with prose lines).
"""

from __future__ import annotations

import base64
import email
import subprocess
import sys
from collections.abc import Callable, Iterator
from email._encoded_words import decode_b  # type: ignore[import-not-found]
from email._policybase import compat32
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import (
    UNPARSED_BODY_TYPES,
    ReadMessage,
    _decode_base64,
    filename,
    parse_fast,
    parse_headers_only,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
_ASKED_FIELDS = ("content-type", "content-transfer-encoding", "x-missing", "SUBJECT", "From")


def _pairs(fast: Message, ref: Message) -> Iterator[tuple[Message, Message, bool]]:
    """(quick part, stdlib part, whether the part's body was left unparsed), tree order."""
    unparsed = ref.get_content_type() in UNPARSED_BODY_TYPES
    yield fast, ref, False
    fp, rp = fast._payload, ref._payload  # type: ignore[attr-defined]
    if isinstance(rp, list) and isinstance(fp, list):
        for f, r in zip(fp, rp, strict=True):
            if unparsed:
                yield f, r, True
            else:
                yield from _pairs(f, r)


def _same_answers(fast: Message, ref: Message, where: str, *, unparsed: bool = False) -> None:
    assert isinstance(fast, ReadMessage), where
    names = {name for name, _ in ref.raw_items()} | set(_ASKED_FIELDS)
    for name in names:
        assert str(fast.get(name)) == str(ref.get(name)), (where, name)
        assert type(fast.get(name)) is type(ref.get(name)), (where, name)
        assert fast.get(name, "x") == ref.get(name, "x") or name.lower() in fast, (where, name)
        assert (name in fast) == (name in ref), (where, name)
        assert [str(v) for v in fast.get_all(name, [])] == [
            str(v) for v in ref.get_all(name, [])
        ], where
    assert len(fast) == len(ref) and bool(fast) == bool(ref), where
    assert list(fast) == list(ref) and fast.keys() == ref.keys(), where
    assert list(fast.raw_items()) == list(ref.raw_items()), where
    assert [(k, str(v)) for k, v in fast.items()] == [(k, str(v)) for k, v in ref.items()], where
    assert fast.get_content_type() == ref.get_content_type(), where
    assert fast.get_content_maintype() == ref.get_content_maintype(), where
    assert fast.get_content_subtype() == ref.get_content_subtype(), where
    assert fast.get_default_type() == ref.get_default_type(), where
    assert fast.get_unixfrom() == ref.get_unixfrom(), where
    for param in ("charset", "boundary", "report-type", "name", "Boundary", "text/plain"):
        assert fast.get_param(param) == ref.get_param(param), (where, param)
        assert fast.get_param(param, "x") == ref.get_param(param, "x"), (where, param)
        assert fast.get_param(param, unquote=False) == ref.get_param(param, unquote=False), where
    for header in ("content-disposition", "Content-Type"):
        assert fast.get_param("filename", header=header) == ref.get_param(
            "filename", header=header
        ), where
    assert fast.get_params() == ref.get_params(), where
    assert fast.get_boundary() == ref.get_boundary(), where
    assert fast.get_filename() == ref.get_filename() == filename(fast), where
    assert fast.get_content_charset() == ref.get_content_charset(), where
    assert fast.get_content_disposition() == ref.get_content_disposition(), where
    if unparsed:
        return  # the returned original's body: a string here, parts there, on purpose
    assert fast.is_multipart() == ref.is_multipart(), where
    if not ref.is_multipart():
        assert fast.get_payload() == ref.get_payload(), where
        defects = len(ref.defects)
        assert fast.get_payload(decode=True) == ref.get_payload(decode=True), where
        # compat32 notes broken base64 on the part: so does the quick part
        assert [type(d) for d in fast.defects] == [type(d) for d in ref.defects], where
        assert len(ref.defects) >= defects
        for write in (lambda p: p.as_string(), str, bytes):
            assert _outcome(write, fast) == _outcome(write, ref), where
    else:
        assert fast.get_payload(decode=True) is None
        assert len(fast.get_payload()) == len(ref.get_payload()), where


def _outcome(write: Callable[[Message], object], part: Message) -> object:
    """What writing the part gives, or the kind of error it raises (an 8-bit
    payload under a charset that cannot take it)."""
    try:
        return write(part)
    except (LookupError, UnicodeError) as exc:
        return type(exc)


def _messages(corpus_dir: Path) -> list[Path]:
    return sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))


def test_quick_parts_answer_as_stdlib_parts(corpus_dir: Path) -> None:
    compared = 0
    for path in _messages(corpus_dir):
        data = path.read_bytes()
        fast = parse_fast(data)
        if fast is None:
            continue
        ref = email.message_from_bytes(data, policy=compat32)
        pairs = list(_pairs(fast, ref))
        # the same parts in the same order (the original's body as one string)
        assert list(fast.walk()) == [f for f, _, _ in pairs], path.name
        for i, (f, r, unparsed) in enumerate(pairs):
            _same_answers(f, r, f"{path.name}/{i}", unparsed=unparsed)
            compared += 1
    assert compared > 1000


@pytest.mark.parametrize(
    "raw",
    [
        b'Subject: caf\xe9\nX-Y: plain\nContent-Disposition: attachment; filename="\xe9.eml"\n\n'
        b"caf\xe9 body\n",
        b"Content-Type: text/plain; charset=iso-8859-1\n\ncaf\xe9\n",
        b"Content-Type: text/plain; charset=bogus-label\n\ncaf\xe9\n",
        b"Content-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ\n",  # padding missing
        b"Content-Transfer-Encoding: BASE64\n\naGVs!bG8=\n",  # a character out of the alphabet
        b"Content-Transfer-Encoding: base64\n\naGVsbG8gd29yb\n",  # one too many
        b"Content-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =\nsoft\n",
        b"Content-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n#86)C\n`\nend\n",
        b"Content-Transfer-Encoding: base64 \n\naGVsbG8=\n",  # not stripped: not decoded
        b'Content-Disposition: attachment; filename="<a.eml>"\n\nx\n',  # unquoted twice
        b"Content-Type: text/plain\n\n",
        b'Content-Type: text/plain; name="a.eml"\nContent-Disposition: attachment\n\nx\n',
        b"Content-Disposition: attachment; filename*=utf-8''%e2%82%ac.eml\n\nx\n",
        b'Content-Disposition: inline; filename=" spaced.msg "\n\nx\n',
        b'Content-Type: text/plain\n   charset="iso-2022-jp"\n\nx\n',
        b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n",
        b'Content-Type: multipart/mixed; boundary="b"\n\npre\n--b\n\nfirst\n--b\n'
        b"Content-Type: message/rfc822\n\nSubject: orig\n\nbody\n--b--\nepilogue\n",
        b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
        b"Final-Recipient: rfc822; a@example.com\nAction: failed\n",
    ],
)
def test_generated_parts_answer_as_stdlib_parts(raw: bytes) -> None:
    fast = parse_fast(raw)
    assert fast is not None
    ref = email.message_from_bytes(raw, policy=compat32)
    pairs = list(_pairs(fast, ref))
    assert list(fast.walk()) == [f for f, _, _ in pairs]
    for i, (f, r, unparsed) in enumerate(pairs):
        _same_answers(f, r, f"{raw!r}/{i}", unparsed=unparsed)


@pytest.mark.parametrize(
    "text",
    [
        "Subject: x\nTo: a@example.com\nthis line is prose\nMore: x\n\nbody\n",
        "Subject: x\nprose line\n",
        "From: a@example.com\n  folded\n\n",
        "no headers at all\n",
        "Subject: caf\udce9\n\nbody",
    ],
)
def test_headers_only_reading_answers_as_header_parser(text: str) -> None:
    fast = parse_headers_only(text)
    ref = HeaderParser(policy=compat32).parsestr(text, headersonly=True)
    assert fast._headers == ref._headers  # type: ignore[attr-defined]
    assert fast._payload == ref._payload  # type: ignore[attr-defined]
    assert [type(d) for d in fast.defects] == [type(d) for d in ref.defects]
    if isinstance(fast, ReadMessage):
        _same_answers(fast, ref, text)


def test_unknown_message_attributes_are_not_answered() -> None:
    part = parse_fast(b"Subject: x\n\nbody\n")
    assert isinstance(part, ReadMessage)
    with pytest.raises(AttributeError):
        part.set_param("charset", "x")  # no setters: a tree is read, not changed
    assert not hasattr(part, "no_such_thing")


# Modules the quick path must not import for a message that needs none of
# them: what email.message, email.utils and email.parser pull in.
_HEAVY = (
    "email.message",
    "email.parser",
    "email.feedparser",
    "email._policybase",
    "email.utils",
    "email.header",
    "email.charset",
    "socket",
    "urllib.parse",
    "random",
    "calendar",
    "email._encoded_words",  # and `string`: base64 bodies are decoded without them
    "string",
)


def test_reading_the_corpus_imports_no_email_message(corpus_dir: Path) -> None:
    """A fresh interpreter reads and views every corpus and fixture message
    through the quick reader (the text, headers, original, fields, file names)
    without importing the stdlib message classes or what they pull in; the
    one message the quick reader declines is left out (the stdlib reads it).
    Base64 and quoted-printable text import only their decoders."""
    # Other projects' sample sets are left out: one of their notices has a
    # Message-Id folded into its Content-Type, whose parameters only the
    # stdlib reads (the rare path this test does not guard).
    external = {path.parent.name for path in FIXTURES.glob("*/expected.jsonl")}
    paths = [str(p) for p in _messages(corpus_dir) if p.parent.name not in external]
    script = f"""
import sys
from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.text_decoding import part_text
read = 0
for name in {paths!r}:
    with open(name, "rb") as fh:  # not pathlib, which imports urllib.parse
        tree = parse_fast(fh.read())
    if tree is None:
        continue
    read += 1
    view = MessageView(tree, DEFAULT_LIMITS)
    view.body_text, view.original_fields, view.report_type, view.delivery_status_parts
    for key in list(view.headers):
        view.headers.get(key)
    for part, _ in view.parts:
        part.get("content-type"), part.get_content_type()
        if not part.is_multipart():
            part_text(part, 1000)
print(read, sorted(m for m in {_HEAVY!r} if m in sys.modules))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    read, _, loaded = done.stdout.strip().partition(" ")
    assert int(read) > 250
    assert loaded == "[]"


@pytest.mark.parametrize(
    "raw",
    [
        # Parameters simple_params leaves to the stdlib: asked while reading,
        # before the parts are set, so the stdlib copy must not keep that state.
        b'Content-Type: multipart/mixed; boundary="a;b"\n\npre\n--a;b\n\nx\n--a;b--\nepi\n',
        b'Content-Type: multipart/mixed; boundary=b; name="x;y"\n\n--b\nContent-Type: text/plain\n\n'
        b"x\n--b--\n",
    ],
)
def test_a_part_asked_while_read_writes_as_the_stdlib_part(raw: bytes) -> None:
    fast = parse_fast(raw)
    assert fast is not None and fast.is_multipart()
    ref = email.message_from_bytes(raw, policy=compat32)
    assert fast.get_boundary() == ref.get_boundary()
    assert fast.as_string() == ref.as_string()
    assert [p.get_payload() for p in fast.walk()][1:] == [p.get_payload() for p in ref.walk()][1:]


def _base64_bodies(corpus_dir: Path) -> list[bytes]:
    bodies: list[bytes] = []
    for path in _messages(corpus_dir):
        for part in email.message_from_bytes(path.read_bytes(), policy=compat32).walk():
            payload = part._payload  # type: ignore[attr-defined]
            if isinstance(payload, str) and "base64" in str(part.get("content-transfer-encoding")):
                data = payload.encode("ascii", "surrogateescape")
                bodies.append(b"".join(data.splitlines()))
    assert len(bodies) > 10
    return bodies


def _same_as_decode_b(encoded: bytes) -> None:
    value, defects = _decode_base64(encoded)
    ref_value, ref_defects = decode_b(encoded)
    assert value == ref_value, encoded
    assert [type(d) for d in defects] == [type(d) for d in ref_defects], encoded


def test_base64_decoding_equals_compat32s(corpus_dir: Path) -> None:
    for body in _base64_bodies(corpus_dir):
        for cut in (body, body[:-1], body[:-2], body[:-3], body[: len(body) // 2] + b"!"):
            _same_as_decode_b(cut)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=12), st.text(alphabet="AZaz09+/=!- ", max_size=12))
def test_base64_decoding_equals_compat32s_on_generated_input(data: bytes, noise: str) -> None:
    encoded = base64.b64encode(data)
    for text in (encoded, encoded.rstrip(b"="), encoded + noise.encode(), noise.encode()):
        _same_as_decode_b(text)
