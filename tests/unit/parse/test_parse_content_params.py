"""The Content-Type read once (`content_type`, `content_param`, `simple_params`)
gives what `Message.get_content_type` / `get_param` / `get_boundary` give.

The view, `part_text` and the quick reader's boundary search ask these on
every part; a parameter split differently from the stdlib's would silently
change a charset or a boundary.
"""

from __future__ import annotations

import email
import email.utils
from email._policybase import compat32
from email.message import Message
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bounce_sink.parse.fast_mime import (
    ReadMessage,
    content_param,
    content_type,
    parse_fast,
    simple_params,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
_ASKED = ("boundary", "charset", "report-type", "name", "format", "absent")


def _walk(message: Message) -> list[Message]:
    out = [message]
    payload = message._payload  # type: ignore[attr-defined]
    if isinstance(payload, list):
        for sub in payload:
            out.extend(_walk(sub))
    return out


def _stdlib_param(part: Message, name: str) -> str | None:
    found = part.get_param(name)
    return found if isinstance(found, str) else None


def _same_as_stdlib(value: str) -> None:
    """simple_params(value), where it answers, against a stdlib Message with that header."""
    params = simple_params(value)
    if params is None:
        return
    ref = Message()
    ref["Content-Type"] = value
    names = {k.lower() for k, _ in ref.get_params() or []} | set(_ASKED)
    for name in names:
        assert params.get(name) == _stdlib_param(ref, name), (value, name)
    boundary = ref.get_boundary()
    if "boundary" in params:
        assert email.utils.unquote(params["boundary"]).rstrip() == boundary, value
    else:
        assert boundary is None, value


def test_every_corpus_and_fixture_part(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    read = 0
    for path in paths:
        data = path.read_bytes()
        fast = parse_fast(data)
        for part in _walk(email.message_from_bytes(data, policy=compat32)):
            value = part.get("content-type")
            if isinstance(value, str):
                _same_as_stdlib(value)
        if fast is None:
            continue
        for part in _walk(fast):
            if not isinstance(part, ReadMessage):
                continue  # delivery-status field blocks: plain Messages
            read += 1
            assert content_type(part) == part.get_content_type(), path.name
            for name in _ASKED:
                assert content_param(part, name) == _stdlib_param(part, name), (path.name, name)
    assert read > 600


def test_values_the_stdlib_reads_its_own_way() -> None:
    for value in (
        'multipart/report; report-type=delivery-status;\n\tboundary="abc;def"',
        "text/plain; charset*=utf-8''%e2%82%ac",
        'text/plain; name="a\\"b"',
        'text/plain; charset="utf-8',
    ):
        assert simple_params(value) is None, value
    # A type with "=" in it is split there, as the stdlib splits a parameter.
    for value in (
        "boundary=x; charset=y",
        'text/plain\n   charset="iso-2022-jp"',
        "charset=utf-8",
        'multipart/mixed boundary="b"; report-type=x',
    ):
        assert simple_params(value) is not None, value
        _same_as_stdlib(value)
    assert simple_params('text/plain; CharSet="UTF-8"; charset=latin1') == {
        "text/plain": "",
        "charset": "UTF-8",
    }
    assert simple_params("multipart/mixed; boundary=<b>;") == {
        "multipart/mixed": "",
        "boundary": "b",
        "": "",
    }


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet='aBz=;"<> \t\n*\\/-', max_size=40),
    st.lists(
        st.tuples(
            st.sampled_from(["boundary", "Charset", "report-type", "name*", "x", ""]),
            st.sampled_from(["=", " = ", ""]),
            st.text(alphabet='aBz=;"<> \t\n*\\-', max_size=12),
        ),
        max_size=4,
    ),
)
def test_generated_values(ctype: str, params: list[tuple[str, str, str]]) -> None:
    value = ctype + "".join(f"; {name}{eq}{raw}" for name, eq, raw in params)
    _same_as_stdlib(value)
    _same_as_stdlib("multipart/mixed" + value[len(ctype) :])


def test_stdlib_parts_are_asked_directly() -> None:
    part = email.message_from_string(
        'Content-Type: multipart/report; report-type="delivery-status"; boundary=b\n\n',
        policy=compat32,
    )
    assert not isinstance(part, ReadMessage)
    assert content_type(part) == "multipart/report"
    assert content_param(part, "report-type") == "delivery-status"
    assert content_param(part, "charset") is None
