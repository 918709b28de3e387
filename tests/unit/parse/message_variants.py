"""The same message written a little differently, as real mail differs.

Each variant rewrites only the bytes it is about: MIME parts are cut at
their own boundary lines and put back as they were, never re-serialised by
a generator (which refolds headers and re-quotes "From " lines). A variant
that does not apply to a message returns it unchanged.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32

Variant = Callable[[bytes], bytes]
# (head, separator, body, the part's fields, line end, content types down to the part)
Leaf = Callable[[bytes, bytes, bytes, Message, bytes, list[str]], tuple[bytes, bytes, bytes]]

_HEADERS = BytesHeaderParser(policy=compat32)
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_DSN_TYPES = ("message/delivery-status", "message/global-delivery-status")
_AS_IS = ("7bit", "8bit", "binary", "")


def line_end(raw: bytes) -> bytes:
    i = raw.find(b"\n")
    return b"\r\n" if i > 0 and raw[i - 1 : i] == b"\r" else b"\n"


def split_entity(entity: bytes) -> tuple[bytes, bytes, bytes]:
    """(head with its last line end, the blank line, body)."""
    for lead in (b"\r\n", b"\n"):
        if entity.startswith(lead):
            return b"", lead, entity[len(lead) :]
    m = _BLANK_LINE.search(entity)
    if m is None:
        return entity, b"", b""
    head_end = entity.index(b"\n", m.start()) + 1
    return entity[:head_end], entity[head_end : m.end()], entity[m.end() :]


def _field(name: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?im)^" + re.escape(name.encode()) + rb"[ \t]*:[^\n]*\n(?:[ \t][^\n]*\n)*")


def set_field(head: bytes, name: str, value: bytes | None, nl: bytes) -> bytes:
    """The field replaced (dropped when `value` is None), or appended when absent."""
    found = _field(name).search(head)
    if found is None:
        return head if value is None else head + name.encode() + b": " + value + nl
    new = b"" if value is None else name.encode() + b": " + value + nl
    return head[: found.start()] + new + head[found.end() :]


def _encoding(fields: Message) -> str:
    return str(fields.get("Content-Transfer-Encoding") or "").strip().lower()


def rewrite_leaves(entity: bytes, leaf: Leaf, nl: bytes, path: list[str] | None = None) -> bytes:
    """`leaf` applied to every leaf part outside the returned original."""
    path = path or []
    head, sep, body = split_entity(entity)
    fields = _HEADERS.parsebytes(head + b"\n")
    ctype = fields.get_content_type() if fields.get("Content-Type") else "text/plain"
    if ctype.startswith("multipart/"):
        boundary = fields.get_param("boundary")
        if not isinstance(boundary, str) or not boundary:
            return entity
        delimiter = re.compile(
            rb"(?m)^--" + re.escape(boundary.encode("latin-1")) + rb"(--)?[ \t]*\r?$"
        )
        marks = list(delimiter.finditer(body))
        if not marks:
            return entity
        out = [body[: marks[0].start()]]
        for i, mark in enumerate(marks):
            if mark.group(1) is not None or i + 1 == len(marks):
                out.append(body[mark.start() :])
                break
            start, end = mark.end() + 1, marks[i + 1].start() - 1
            if end > 0 and body[end - 1 : end] == b"\r":
                end -= 1
            out += [
                body[mark.start() : start],
                rewrite_leaves(body[start:end], leaf, nl, [*path, ctype]),
            ]
            out.append(body[end : marks[i + 1].start()])
        return head + sep + b"".join(out)
    if ctype in ("message/rfc822", "message/global"):
        return entity  # the returned original is the sender's, not the notice
    head, sep, body = leaf(head, sep, body, fields, nl, [*path, ctype])
    return head + sep + body


def _encoded(kind: str) -> Leaf:
    def leaf(
        head: bytes, sep: bytes, body: bytes, fields: Message, nl: bytes, path: list[str]
    ) -> tuple[bytes, bytes, bytes]:
        ctype = path[-1]
        if not ctype.startswith("text/") or ctype == "text/rfc822-headers":
            return head, sep, body
        if _encoding(fields) not in _AS_IS or not body.strip():
            return head, sep, body
        if kind == "base64":
            # Text is encoded in its canonical form, lines ending CRLF.
            data = binascii.b2a_base64(re.sub(rb"\r?\n", b"\r\n", body), newline=False)
            encoded = nl.join(data[i : i + 76] for i in range(0, len(data), 76)) + nl
        else:
            text = re.sub(rb"\r?\n", b"\n", body)
            encoded = binascii.b2a_qp(text, quotetabs=False, istext=True).replace(b"\n", nl)
        head = set_field(head, "Content-Transfer-Encoding", kind.encode(), nl)
        if len(path) == 1 and not re.search(rb"(?im)^mime-version:", head):
            head = set_field(head, "MIME-Version", b"1.0", nl)
        return head, sep or nl, encoded

    return leaf


def base64_text(raw: bytes) -> bytes:
    """Every text part of the notice sent base64 (charset kept)."""
    return rewrite_leaves(raw, _encoded("base64"), line_end(raw))


def quoted_printable_text(raw: bytes) -> bytes:
    """Every text part of the notice sent quoted-printable (charset kept)."""
    return rewrite_leaves(raw, _encoded("quoted-printable"), line_end(raw))


def other_line_ends(raw: bytes) -> bytes:
    """CRLF for LF, LF for CRLF."""
    return raw.replace(b"\r\n", b"\n") if b"\r\n" in raw else raw.replace(b"\n", b"\r\n")


def _top_from(raw: bytes) -> tuple[bytes, bytes, re.Match[bytes] | None]:
    head, sep, body = split_entity(raw)
    return head, sep + body, _field("From").search(head)


_DAEMON_LOCAL = re.compile(rb"(?i)(mailer-daemon|postmaster)@")
_DAEMON_NAME = re.compile(
    rb"mailer-daemon|postmaster|mail delivery|daemon|system|administrator|mailer"
)


def daemon_local_part(raw: bytes) -> bytes:
    """The daemon sender's local part the other way: MAILER-DAEMON <-> postmaster."""
    head, rest, found = _top_from(raw)
    if found is None:
        return raw
    value = found.group(0)
    local = _DAEMON_LOCAL.search(value)
    if local is None:
        return raw
    other = b"postmaster" if local.group(1).lower() == b"mailer-daemon" else b"MAILER-DAEMON"
    value = value[: local.start(1)] + other + value[local.end(1) :]
    return head[: found.start()] + value + head[found.end() :] + rest


def sender_display_name(raw: bytes) -> bytes:
    """Another display name on From: a daemon's stays a daemon's, a person's a person's."""
    head, rest, found = _top_from(raw)
    if found is None:
        return raw
    line = found.group(0)
    colon = line.index(b":") + 1
    value, low = line[colon:], line[colon:].lower()
    if _DAEMON_NAME.search(low):
        name = (
            b"Mail Delivery Subsystem"
            if b"mail delivery system" in low
            else b"Mail Delivery System"
        )
    else:
        name = b"Jane Q. Example"
    angle = value.rfind(b"<")
    if angle >= 0:
        line = line[:colon] + b' "' + name + b'" ' + value[angle:].lstrip()
    else:
        address = re.sub(rb"\([^)]*\)", b"", value).strip()
        if not address:
            return raw
        line = line[:colon] + b' "' + name + b'" <' + address + b">" + line_end(raw)
    return head[: found.start()] + line + head[found.end() :] + rest


def _folded(line: bytes, nl: bytes, width: int = 78, indent: bytes = b"    ") -> bytes:
    pieces = []
    first = True
    while len(line) > width:
        cut = line.rfind(b" ", 0 if first else len(indent) + 1, width)
        if cut <= (0 if first else len(indent)) + 10:
            break
        pieces.append(line[:cut])
        line = indent + line[cut + 1 :]
        first = False
    return nl.join([*pieces, line])


def _fold_leaf(
    head: bytes, sep: bytes, body: bytes, fields: Message, nl: bytes, path: list[str]
) -> tuple[bytes, bytes, bytes]:
    if path[-1] not in _DSN_TYPES or _encoding(fields) not in _AS_IS:
        return head, sep, body
    pieces = re.split(rb"(\r?\n)", body)
    pieces[0::2] = [_folded(line, nl) for line in pieces[0::2]]
    return head, sep, b"".join(pieces)


def folded_status_fields(raw: bytes) -> bytes:
    """Delivery-status fields longer than 78 columns folded, as Sendmail and Exchange fold them."""
    return rewrite_leaves(raw, _fold_leaf, line_end(raw))


def _unfold_leaf(
    head: bytes, sep: bytes, body: bytes, fields: Message, nl: bytes, path: list[str]
) -> tuple[bytes, bytes, bytes]:
    if path[-1] not in _DSN_TYPES or _encoding(fields) not in _AS_IS:
        return head, sep, body
    return head, sep, re.sub(rb"\r?\n[ \t]+", b" ", body)


def unfolded_status_fields(raw: bytes) -> bytes:
    """Folded delivery-status fields written on one line each, as most MTAs write them."""
    return rewrite_leaves(raw, _unfold_leaf, line_end(raw))


_CONTENT_TYPE = re.compile(rb"(?im)^content-type:[^\n]*\n(?:[ \t][^\n]*\n)*")
_CHARSET = re.compile(rb'(?i)charset\s*=\s*"?[^";\s]+"?')
_INTERCHANGEABLE = ("", "us-ascii", "utf-8", "iso-8859-1", "windows-1252")


def _charset_leaf(
    head: bytes, sep: bytes, body: bytes, fields: Message, nl: bytes, path: list[str]
) -> tuple[bytes, bytes, bytes]:
    ctype = path[-1]
    if not ctype.startswith("text/") or ctype == "text/rfc822-headers" or not body.isascii():
        return head, sep, body
    charset = (fields.get_content_charset() or "").lower()
    if charset not in _INTERCHANGEABLE:
        return head, sep, body
    new = b"charset=" + (b"utf-8" if charset in ("", "us-ascii") else b"us-ascii")
    found = _CONTENT_TYPE.search(head)
    if found is None:
        head += b"Content-Type: " + ctype.encode() + b"; " + new + nl
        if len(path) == 1 and not re.search(rb"(?im)^mime-version:", head):
            head += b"MIME-Version: 1.0" + nl
        return head, sep, body
    field = found.group(0)
    if _CHARSET.search(field):
        field = _CHARSET.sub(new, field, count=1)
    else:
        field = field.rstrip(b"\r\n") + b"; " + new + nl
    return head[: found.start()] + field + head[found.end() :], sep, body


def other_charset(raw: bytes) -> bytes:
    """An ASCII text part labelled with another ASCII-compatible charset (us-ascii <-> utf-8)."""
    return rewrite_leaves(raw, _charset_leaf, line_end(raw))


_ALTERNATIVE = b"variant-alternative-boundary"


def _alternative_leaf(
    head: bytes, sep: bytes, body: bytes, fields: Message, nl: bytes, path: list[str]
) -> tuple[bytes, bytes, bytes]:
    if path[-1] != "text/plain" or "multipart/alternative" in path:
        return head, sep, body
    if _encoding(fields) not in _AS_IS or not body.strip():
        return head, sep, body
    charset = (fields.get_content_charset() or "us-ascii").encode()
    html = body.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    head = set_field(head, "Content-Transfer-Encoding", None, nl)
    head = set_field(
        head, "Content-Type", b'multipart/alternative; boundary="' + _ALTERNATIVE + b'"', nl
    )
    delimiter = b"--" + _ALTERNATIVE + nl
    body = (
        delimiter
        + b"Content-Type: text/plain; charset="
        + charset
        + nl
        + nl
        + body
        + nl
        + delimiter
        + b"Content-Type: text/html; charset="
        + charset
        + nl
        + nl
        + b"<html><body><pre>"
        + html
        + b"</pre></body></html>"
        + nl
        + b"--"
        + _ALTERNATIVE
        + b"--"
        + nl
    )
    return head, sep or nl, body


def html_alternative(raw: bytes) -> bytes:
    """A plain text notice sent as multipart/alternative with an HTML copy, as webmail sends it."""
    return rewrite_leaves(raw, _alternative_leaf, line_end(raw))


_PARAGRAPHS = re.compile(rb"((?:\r?\n){2,})")


def _second_leaf(address: bytes, other: bytes) -> Leaf:
    lower = address.lower()
    names_it = re.compile(rb"(?im)^(?:final|original)-recipient:[^\n]*" + re.escape(lower))

    def leaf(
        head: bytes, sep: bytes, body: bytes, fields: Message, nl: bytes, path: list[str]
    ) -> tuple[bytes, bytes, bytes]:
        ctype = path[-1]
        if ctype not in (*_DSN_TYPES, "text/plain") or _encoding(fields) not in _AS_IS:
            return head, sep, body
        pieces = _PARAGRAPHS.split(body)
        out = []
        for i in range(0, len(pieces), 2):
            paragraph, low = pieces[i], pieces[i].lower()
            between = pieces[i + 1] if i + 1 < len(pieces) else nl + nl
            out.append(paragraph)
            starts = low.lstrip().startswith((lower, b"<" + lower + b">"))
            if (ctype == "text/plain" and starts) or names_it.search(low):
                out += [between, re.sub(re.escape(address), other, paragraph, flags=re.I)]
            if i + 1 < len(pieces):
                out.append(pieces[i + 1])
        return head, sep, b"".join(out)

    return leaf


def second_recipient(raw: bytes, address: str, other: str) -> bytes:
    """A second failed recipient, `other`, where the notice lists recipients in blocks.

    Every delivery-status block naming `address` (Final-/Original-Recipient),
    and every paragraph of the text that starts with it or holds such fields,
    is repeated for `other`; X-Failed-Recipients names both.
    """
    nl = line_end(raw)
    out = rewrite_leaves(raw, _second_leaf(address.encode(), other.encode()), nl)
    if out == raw:
        return raw  # no block of its own to repeat (an encoded part, prose naming it inline)
    head, sep, body = split_entity(out)
    failed = _field("X-Failed-Recipients").search(head)
    if failed is not None:
        value = failed.group(0).split(b":", 1)[1].strip()
        head = set_field(head, "X-Failed-Recipients", value + b", " + other.encode(), nl)
    return head + sep + body


def subject(value: str | None) -> Variant:
    """The Subject replaced by `value`, or removed (None)."""

    def variant(raw: bytes) -> bytes:
        head, sep, body = split_entity(raw)
        if value is None and _field("Subject").search(head) is None:
            return raw
        encoded = None if value is None else value.encode("utf-8")
        return set_field(head, "Subject", encoded, line_end(raw)) + sep + body

    return variant


# An enhanced status code standing alone: not part of an address, a version
# or a longer dotted number.
_STATUS_CODE = re.compile(rb"(?<![\w.])[245]\.\d{1,3}\.\d{1,3}(?![\w.]|\.\d)")


def status_family(members: dict[str, str]) -> Variant:
    """Each status code of `members` replaced by the member it maps to,
    wherever the message writes it (Status: fields, the remote reply, prose)."""

    def replace(m: re.Match[bytes]) -> bytes:
        code = m.group(0).decode("ascii")
        return members.get(code, code).encode("ascii")

    def variant(raw: bytes) -> bytes:
        return _STATUS_CODE.sub(replace, raw)

    return variant
