"""The quick MIME reader gives exactly the stdlib parser's reading.

For every corpus and fixture message: the Report through the quick reader
equals the Report through the stdlib parser alone, and wherever the quick
reader accepts a message, its tree matches the stdlib's part for part
(headers, preamble, epilogue, payload text), the returned original's body
aside, which it leaves unparsed on purpose.
"""

from __future__ import annotations

import email
from email import errors
from email._policybase import compat32
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import (
    UNPARSED_BODY_TYPES,
    ReadMessage,
    parse_fast,
    parse_headers_only,
)
from bounce_sink.parse.pipeline import _repair_boundary, _stdlib_tree, parse_bytes

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _messages(corpus_dir: Path) -> list[Path]:
    files = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    assert len(files) > 200
    return files


def _same_tree(fast: Message, ref: Message, where: str, *, headers_only: bool = False) -> None:
    assert fast._headers == ref._headers, where  # type: ignore[attr-defined]
    assert fast.get_unixfrom() == ref.get_unixfrom(), where
    if headers_only:
        return
    assert fast.preamble == ref.preamble, where
    assert fast.epilogue == ref.epilogue, where
    assert [type(d) for d in fast.defects] == [type(d) for d in ref.defects], where
    fp, rp = fast._payload, ref._payload  # type: ignore[attr-defined]
    if isinstance(rp, list):
        assert isinstance(fp, list) and len(fp) == len(rp), where
        unparsed = ref.get_content_type() in UNPARSED_BODY_TYPES
        for i, (f, r) in enumerate(zip(fp, rp, strict=True)):
            _same_tree(f, r, f"{where}/{i}", headers_only=unparsed)
    else:
        assert fp == rp, where


def test_reports_equal_with_and_without_quick_reader(corpus_dir: Path) -> None:
    differing = [
        p.name
        for p in _messages(corpus_dir)
        if parse_bytes(p.read_bytes()) != parse_bytes(p.read_bytes(), fast_mime=False)
    ]
    assert differing == []


def test_quick_tree_matches_stdlib_tree(corpus_dir: Path) -> None:
    accepted = 0
    for path in _messages(corpus_dir):
        data = path.read_bytes()
        fast = parse_fast(data)
        if fast is None:
            continue
        accepted += 1
        _same_tree(fast, email.message_from_bytes(data, policy=compat32), path.name)
    assert accepted > 200  # the quick reader takes the common layouts


@pytest.mark.parametrize(
    "raw",
    [
        b"Content-Type: text/plain\r\nX: a\r\n  b\r\n\r\nbody\r\nlast",
        b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody\n",
        b'Content-Type: multipart/report; boundary="b"\n\npre\n--b\n\nfirst\n--b\n'
        b"Content-Type: message/rfc822\n\nSubject: orig\n\nbody\n--b--\nepilogue\n",
        b'Content-Type: multipart/mixed; boundary="o"\n\n--o\n'
        b'Content-Type: multipart/alternative; boundary="i"\n\n--i\n\na\n--i--\nin-epi\n\n--o--\n',
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nunclosed part\n',
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b \t\r\nX: 1\r\n\r\n'
        b"text --b mid-line\r\n--b-x not a boundary\r\n--bb\r\n--b--",
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\na\n--b\n',
        b'Content-Type: message/rfc822\n\nContent-Type: multipart/mixed; boundary="x"\n\n'
        b"--x\n\nnot parsed\n",
        b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n\r\n"
        b"Final-Recipient: rfc822; a@example.com\r\n\r\n",
        b"Content-Type: message/delivery-status\n\n\nX: 1\n\n\n",
        b"Content-Type: message/delivery-status\n\n",
        b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
        b"Final-Recipient: rfc822; a@example.com\nAction: failed\n",
        # Prose where the returned original's headers belong: no headers, a defect.
        b'Content-Type: multipart/report; boundary="b"\n\n--b\n\nnotice\n--b\n'
        b"Content-Type: message/rfc822\n\n[original message goes here]\n\n--b--\n",
        b"[no headers at all]\r\nSubject: not a header here\r\n\r\nbody\r\n",
        b'Content-Type: multipart/mixed; boundary="b"\n\nno start boundary\n',
        b'Content-Type: multipart/mixed; boundary="b"\n\nno start\n--b--\nafter close\n',
        b'Content-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: multipart/mixed;'
        b' boundary="i"\n\nno inner start\n--o--\n',
        # Prose after header lines ends the headers; a multipart without its boundary.
        b"Subject: x\nno colon on this line\n\nbody",
        b"Content-Type: multipart/mixed;\nboundary=b\n\n--b\n\npart\n--b--\n",
        b'Content-Type: multipart/report; boundary="o"\n\n--o\n'
        b"Content-Type: multipart/alternative\n\ntext\n--o--\n",
        # A part read in place: the inner boundary's lines are looked for only
        # inside the inner multipart, not in the outer parts after it.
        b'Content-Type: multipart/mixed; boundary="o"\n\n--o\n'
        b'Content-Type: multipart/alternative; boundary="i"\n\n--i\n\na\n--i\n\nb\n'
        b"--o\n\nlater\n--i\nnot the inner's\n--i--\n--o--\n",
    ],
)
def test_quick_reader_on_edge_layouts(raw: bytes) -> None:
    fast = parse_fast(raw)
    assert fast is not None
    _same_tree(fast, email.message_from_bytes(raw, policy=compat32), "edge")


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: x\rX: lone carriage returns\r\rbody",
        b" continuation first\nSubject: x\n\nbody",
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\n--b\n\ndoubled\n--b--\n',
        b'Content-Type: multipart/digest; boundary="b"\n\n--b\n\nSubject: x\n--b--\n',
    ],
)
def test_quick_reader_declines_what_it_does_not_model(raw: bytes) -> None:
    assert parse_fast(raw) is None
    assert parse_bytes(raw) == parse_bytes(raw, fast_mime=False)


def test_headers_only_reading_matches_stdlib(corpus_dir: Path) -> None:
    """The returned original's headers (pasted or attached) read as HeaderParser reads them."""
    texts = ["Subject: x\rlone CR\r\rbody", " first line folded\nX: 1\n\nbody", "no header\n"]
    for path in _messages(corpus_dir):
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        _, _, body = text.partition("\n\n")
        texts += [text, body, body.lstrip("\n")]
    for text in texts:
        fast = parse_headers_only(text)
        ref = HeaderParser(policy=compat32).parsestr(text, headersonly=True)
        assert fast._headers == ref._headers, text[:200]  # type: ignore[attr-defined]
        assert fast.get_unixfrom() == ref.get_unixfrom(), text[:200]
        assert fast._payload == ref._payload, text[:200]  # type: ignore[attr-defined]


_LINES = st.sampled_from(
    [
        "Subject: x",
        "X-Folded: a",
        "  continued",
        "\tcontinued",
        'Content-Type: multipart/mixed; boundary="b"',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="c"',
        "Content-Type: message/rfc822",
        "Content-Type: message/delivery-status",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "Final-Recipient: rfc822; a@example.com",
        "Action: failed",
        "From someone",
        "no colon here",
        ": empty name",
        "",
        "",
        "--b",
        "--b--",
        "--c",
        "--c--",
        "--b  ",
        "--bx",
        "body text --b",
        "caf\udce9 8-bit",
        "X:",
        "X:\t  spaced",
        'Content-Type: multipart/alternative; boundary="b"',
        'Content-Type: multipart/digest; boundary="c"',
        "Content-Type: MESSAGE/RFC822",
        "Content-Type: \udce9/x; boundary=b",
        "Content-Type: text",
        "Content-Type: message/global",
        "Content-Type: multipart/mixed;",
        'boundary="b"',
        "[prose]",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_LINES, max_size=40),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_quick_reader_matches_stdlib_on_generated_layouts(
    lines: list[str], eol: str, final_eol: bool
) -> None:
    text = eol.join(lines) + (eol if final_eol else "")
    raw = text.encode("utf-8", "surrogateescape")
    fast = parse_fast(raw)
    if fast is not None:
        _same_tree(fast, email.message_from_bytes(raw, policy=compat32), repr(text))
    assert parse_bytes(raw) == parse_bytes(raw, fast_mime=False)


def test_repaired_boundary_read_by_quick_reader_matches_stdlib(corpus_dir: Path) -> None:
    """A multipart whose declared boundary never comes is re-read with the real
    one; from the quick reader's tree, and by it, to the stdlib's tree."""
    repaired = 0
    for path in _messages(corpus_dir):
        data = path.read_bytes()
        quick = parse_fast(data)
        if quick is None or not any(
            isinstance(d, errors.StartBoundaryNotFoundDefect) for d in quick.defects
        ):
            continue
        tree = _repair_boundary(quick, data, quick_reread=True)
        repaired += isinstance(tree, ReadMessage) and tree is not quick
        _same_tree(tree, _stdlib_tree(data), path.name)
    assert repaired >= 2  # rhost-franceptt-07, rhost-google-02
