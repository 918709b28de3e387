"""Delivery-status fields taken from the parsed blocks equal those read from the text.

`_field_blocks` skips writing the parsed header blocks back out as text and
reading that text line by line; it must give exactly the text route's
blocks, or decline (None) so that route runs.
"""

from __future__ import annotations

import email
from email.message import Message
from email.policy import compat32
from pathlib import Path

from bounce_sink.parse.fast_mime import parse_fast
from bounce_sink.parse.limits import DEFAULT_LIMITS
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.pipeline import _stdlib_tree
from bounce_sink.parse.rfc3464 import _blocks, _field_blocks, _fields_text

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
LIMIT = DEFAULT_LIMITS.max_text_chars


def _text_route(part: Message, limit: int = LIMIT) -> list[list[tuple[str, str]]]:
    return _blocks(_fields_text(part, limit))


def _ds_parts(data: bytes) -> list[Message]:
    parts: list[Message] = []
    for tree in (parse_fast(data), _stdlib_tree(data)):
        if tree is not None:
            parts += MessageView(tree, DEFAULT_LIMITS).delivery_status_parts
    return parts


def test_corpus_and_fixture_parts_read_the_same(corpus_dir: Path) -> None:
    taken = declined = 0
    for path in sorted(corpus_dir.glob("*.eml")) + sorted(FIXTURES.rglob("*.eml")):
        for part in _ds_parts(path.read_bytes()):
            for limit in (LIMIT, 300):
                blocks = _field_blocks(part, limit)
                if blocks is None:
                    declined += 1
                else:
                    assert blocks == _text_route(part, limit), path.name
                    taken += 1
    assert taken > 200 and declined > 0


def _report(ds_body: str, *, cte: str = "", ctype: str = "message/delivery-status") -> bytes:
    head = f"Content-Type: {ctype}\n" + (f"Content-Transfer-Encoding: {cte}\n" if cte else "")
    return (
        "From: MAILER-DAEMON@example.org\nTo: a@example.com\nSubject: failed\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n'
        f"\n--b\nContent-Type: text/plain\n\nfailed\n--b\n{head}\n{ds_body}\n--b--\n"
    ).encode()


def test_shapes_the_reader_declines_or_reads_alike() -> None:
    bodies = [
        "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; a@example.com\n"
        "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user\n unknown\n",
        "Reporting-MTA: dns; x\n\nFinal-Recipient : rfc822; a@example.com\nStatus: 5.0.0\n",
        "Reporting-MTA: dns; x\n\nX_Odd: 1\nFinal-Recipient: rfc822; a@example.com\n",
        "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822;\n\ta@example.com\nAction:\n",
        "Reporting-MTA: dns; x\nFinal-Recipient: rfc822; =?utf-8?q?a=40example.com?=\n",
        "Final-Recipient: rfc822; a@example.com\nStatus: 5.1.1\n\n\n\nFinal-Recipient: b@x\n",
    ]
    seen_fast = 0
    for body in bodies:
        for data in (_report(body), _report(body, ctype="message/global-delivery-status")):
            for part in _ds_parts(data):
                blocks = _field_blocks(part, LIMIT)
                assert blocks is None or blocks == _text_route(part), body
                seen_fast += blocks is not None
    assert seen_fast >= 4
    encoded = _report("UmVwb3J0aW5nLU1UQTogZG5zOyB4Cg==", cte="base64")
    for part in _ds_parts(encoded):
        assert _field_blocks(part, LIMIT) is None


def test_a_block_with_body_text_is_left_to_the_text_route() -> None:
    part = email.message_from_string("Content-Type: message/delivery-status\n\n", policy=compat32)
    block = email.message_from_string("Final-Recipient: rfc822; a@example.com\n\nextra: text\n")
    part.set_payload([block])
    assert _field_blocks(part, LIMIT) is None
    # The text route reads the block's text as more fields of the block.
    assert _text_route(part) == [[("final-recipient", "rfc822; a@example.com"), ("extra", "text")]]
