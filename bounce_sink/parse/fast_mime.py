"""A quick MIME reader for well-formed messages; anything unusual is left to the stdlib.

The stdlib feed parser walks every line of a message in Python (~200 us for
a typical bounce), most of them in the returned original's body, which no
reader looks at beyond its headers. This reader finds header blocks and
boundary lines with string searches and builds the same compat32 `Message`
tree the stdlib parser would (headers, preamble, epilogue, payloads, the
newline that belongs to each boundary), except that the body of a returned
original (message/rfc822, message/global) stays one unparsed string.

Wherever the stdlib would note a defect, or the layout is one this reader
does not model (lone CR line ends, multipart/digest, doubled boundary
lines, a missing start or close boundary), it gives up and returns None;
the caller then uses the stdlib parser, so odd messages read exactly as
before. tests/unit/parse/test_parse_fast_path.py compares both readings.
"""

from __future__ import annotations

import email
import re
from email import errors
from email._policybase import compat32
from email.message import Message

# Content types whose body is another message that no reader parses further.
UNPARSED_BODY_TYPES = frozenset({"message/rfc822", "message/global"})

# Lines the feed parser reads as fields (a name, then a colon) or their
# continuations; anything else in the block is a defect it notes.
_HEADER_BLOCK = re.compile(r"(?:(?:[\041-\071\073-\176]+:|[\t ])[^\n]*(?:\n|\Z))*")
# One field with its continuation lines.
_FIELD = re.compile(r"[^ \t\n][^\n]*\n?(?:[ \t][^\n]*\n?)*")
_MAX_DEPTH = 40


class _Unusual(Exception):
    """The message needs the stdlib parser's handling."""


def parse_fast(data: bytes) -> Message | None:
    """The message tree, or None when the stdlib parser must read it."""
    text = data.decode("ascii", "surrogateescape")
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # lone CRs end lines for the stdlib; not modelled here
    try:
        msg, _ = _read(text, 0, unparsed_body=False)
    except _Unusual:
        return None
    return msg


def _split_head(text: str) -> tuple[str, str]:
    """(header block with its line ends, body after the empty line)."""
    if text.startswith("\n"):
        return "", text[1:]
    if text.startswith("\r\n"):
        return "", text[2:]
    lf = text.find("\n\n")
    crlf = text.find("\n\r\n")
    if lf < 0 and crlf < 0:
        return text, ""
    if crlf < 0 or (0 <= lf < crlf):
        return text[: lf + 1], text[lf + 2 :]
    return text[: crlf + 1], text[crlf + 3 :]


def _parse_headers(msg: Message, head: str) -> None:
    """The feed parser's header reading, giving up where it would note a defect."""
    if not head:
        return
    if head.startswith("From "):
        line_end = head.find("\n")
        first = head if line_end < 0 else head[:line_end]
        msg.set_unixfrom(first.removesuffix("\r"))
        head = "" if line_end < 0 else head[line_end + 1 :]
        if not head:
            return
    if head[0] in " \t" or not _HEADER_BLOCK.fullmatch(head):
        raise _Unusual
    for field in _FIELD.findall(head):
        name, _, value = field.partition(":")
        msg.set_raw(name, value.lstrip(" \t").rstrip("\r\n"))


def _strip_eol(value: str) -> str:
    if value.endswith("\r\n"):
        return value[:-2]
    if value.endswith(("\n", "\r")):
        return value[:-1]
    return value


def _read(text: str, depth: int, *, unparsed_body: bool) -> tuple[Message, Message]:
    """(the message, the last message created inside it, as the feed parser tracks it)."""
    if depth > _MAX_DEPTH:
        raise _Unusual
    head, body = _split_head(text)
    msg = Message()
    _parse_headers(msg, head)
    if unparsed_body:
        msg.set_payload(body)
        return msg, msg
    ctype = msg.get_content_type()
    if ctype == "message/delivery-status":
        # Blocks of fields: the stdlib's own reading of this part alone is
        # exactly its reading inside the whole message.
        part = email.message_from_string(text, policy=compat32)
        if part.defects:
            raise _Unusual
        *_, last = part.walk()
        return part, last
    maintype = msg.get_content_maintype()
    if maintype == "message":
        inner, last = _read(body, depth + 1, unparsed_body=ctype in UNPARSED_BODY_TYPES)
        msg.attach(inner)
        return msg, last
    if maintype == "multipart":
        _read_multipart(msg, ctype, body, depth)
        return msg, msg
    msg.set_payload(body)
    return msg, msg


def _read_multipart(msg: Message, ctype: str, body: str, depth: int) -> None:
    boundary = msg.get_boundary()
    if boundary is None or ctype == "multipart/digest":
        raise _Unusual
    if str(msg.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary"):
        raise _Unusual
    delimiter = re.compile(
        "^" + re.escape("--" + boundary) + r"(--)?[ \t]*(?:\r\n|\n|\Z)", re.MULTILINE
    )
    marks = list(delimiter.finditer(body))
    if not marks or marks[0].group(1):
        raise _Unusual  # no start boundary: the stdlib notes it and pipeline repairs it
    if marks[0].start():
        msg.preamble = _strip_eol(body[: marks[0].start()])
    for i, mark in enumerate(marks):
        if mark.group(1):
            msg.epilogue = body[mark.end() :]
            return
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        if end == mark.end() and i + 1 < len(marks):
            raise _Unusual  # doubled boundary lines: the stdlib skips them its own way
        part, last = _read(body[mark.end() : end], depth + 1, unparsed_body=False)
        msg.attach(part)
        # The line end before a boundary belongs to the boundary (RFC 2046).
        if last.get_content_maintype() == "multipart":
            if last.epilogue == "":
                last.epilogue = None
            elif last.epilogue is not None:
                last.epilogue = _strip_eol(last.epilogue)
        else:
            payload = getattr(last, "_payload", None)
            if isinstance(payload, str):
                last.set_payload(_strip_eol(payload))
    # Unclosed (often a truncated sample): the last part ran to the end.
    msg.defects.append(errors.CloseBoundaryNotFoundDefect())
