"""The view's walk and the fields it sets when built give what the former
properties computed on first use.

`MessageView` now collects the delivery-status parts during its walk and
sets the headers, subject, From and report type in `__init__` (every
message is asked for them). The reference here is the former reading:
a walk that keeps every part, then each property computed from the walk's
lists. Both readers' trees, every corpus and fixture message, and small
limits that cut the walk short.
"""

from __future__ import annotations

import email
from email._policybase import compat32
from email.message import Message
from pathlib import Path

import pytest

from bounce_sink.parse.fast_mime import content_param, content_type, parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS, Limits
from bounce_sink.parse.message_view import DSN_TYPES, ORIGINAL_TYPES, MessageView
from bounce_sink.parse.text_decoding import payload_of

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"

_LIMITS = (
    DEFAULT_LIMITS,
    Limits(max_parts=1),
    Limits(max_parts=2),
    Limits(max_parts=3),
    Limits(max_depth=0),
    Limits(max_depth=1),
    Limits(max_parts=0),
    Limits(max_header_bytes=200),
)


class _FormerWalk:
    """The walk as it was: every part kept, the original's part the first
    part of an original type that is not the message itself."""

    def __init__(self, message: Message, limits: Limits) -> None:
        self.message = message
        self.limits = limits
        self.parts: list[tuple[Message, int]] = []
        self.types: list[str] = []
        self.truncated_walk = False
        self.original_part: Message | None = None
        self._walk(message, 0)

    def _walk(self, part: Message, depth: int) -> None:
        if len(self.parts) >= self.limits.max_parts or depth > self.limits.max_depth:
            self.truncated_walk = True
            return
        ctype = content_type(part)
        self.parts.append((part, depth))
        self.types.append(ctype)
        if ctype in ORIGINAL_TYPES:
            if self.original_part is None and part is not self.message:
                self.original_part = part
            return
        payload = payload_of(part)
        if isinstance(payload, list) and ctype not in DSN_TYPES:
            for sub in payload:
                self._walk(sub, depth + 1)
                if len(self.parts) >= self.limits.max_parts:
                    self.truncated_walk = True
                    return

    def delivery_status_parts(self) -> list[Message]:
        return [p for (p, _), t in zip(self.parts, self.types, strict=True) if t in DSN_TYPES]

    def report_type(self) -> str:
        if content_type(self.message) != "multipart/report":
            return ""
        rt = content_param(self.message, "report-type")
        return rt.lower().strip() if rt is not None else ""


def _trees(corpus_dir: Path) -> list[tuple[str, Message]]:
    trees: list[tuple[str, Message]] = []
    paths = sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml"))
    for path in paths:
        data = path.read_bytes()
        quick = parse_fast(data)
        if quick is not None:
            trees.append((path.name, quick))
        trees.append((path.name, email.message_from_bytes(data, policy=compat32)))
    return trees


@pytest.mark.parametrize("limits", _LIMITS)
def test_walk_and_fields_equal_the_former_properties(corpus_dir: Path, limits: Limits) -> None:
    with_dsn = with_report_type = 0
    for name, tree in _trees(corpus_dir):
        view = MessageView(tree, limits)
        former = _FormerWalk(tree, limits)
        assert [(id(p), d) for p, d in view.parts] == [(id(p), d) for p, d in former.parts], name
        assert view.types == former.types, name
        assert view.truncated_walk == former.truncated_walk, name
        assert view._original_part is former.original_part, name
        assert list(map(id, view.delivery_status_parts)) == list(
            map(id, former.delivery_status_parts())
        ), name
        assert view.report_type == former.report_type(), name
        assert view.subject == view.headers.get("subject", ""), name
        assert view.from_ == view.headers.get("from", ""), name
        with_dsn += bool(view.delivery_status_parts)
        with_report_type += bool(view.report_type)
    if limits == DEFAULT_LIMITS:
        assert with_dsn > 200
        assert with_report_type > 150


def test_a_report_whose_walk_stops_inside_it() -> None:
    parts = "".join(
        f"--b\nContent-Type: message/delivery-status\n\nAction: failed{i}\n\n" for i in range(5)
    )
    data = (
        f"Content-Type: multipart/report; report-type=Delivery-Status; boundary=b\n\n{parts}--b--\n"
    ).encode()
    tree = parse_fast(data)
    assert tree is not None
    for limits in (DEFAULT_LIMITS, Limits(max_parts=3)):
        view = MessageView(tree, limits)
        former = _FormerWalk(tree, limits)
        assert list(map(id, view.delivery_status_parts)) == list(
            map(id, former.delivery_status_parts())
        )
        assert view.report_type == "delivery-status"
    assert len(MessageView(tree, Limits(max_parts=3)).delivery_status_parts) == 2


def test_the_first_of_two_returned_originals_is_kept() -> None:
    originals = "".join(
        f"--b\nContent-Type: message/rfc822\n\nSubject: original {i}\n\nbody\n" for i in range(2)
    )
    data = f"Content-Type: multipart/mixed; boundary=b\n\n{originals}--b--\n".encode()
    for tree in (parse_fast(data), email.message_from_bytes(data, policy=compat32)):
        assert tree is not None
        view = MessageView(tree, DEFAULT_LIMITS)
        assert view._original_part is _FormerWalk(tree, DEFAULT_LIMITS).original_part
        original = view.original
        assert original is not None
        assert original.get("subject") == "original 0"
