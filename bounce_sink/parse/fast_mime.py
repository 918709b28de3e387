"""A quick MIME reader for well-formed messages; anything unusual is left to the stdlib.

The stdlib feed parser walks every line of a message in Python (~200 us for
a typical bounce), most of them in the returned original's body, which no
reader looks at beyond its headers. This reader finds header blocks and
boundary lines with string searches and builds the tree the stdlib parser
would (headers, preamble, epilogue, payloads, the newline that belongs to
each boundary), except that the body of a returned original
(message/rfc822, message/global) stays one unparsed string. Its parts are
`ReadMessage`s, which answer as compat32 `Message`s do without being
them, so that the common path never imports email.message and what it
pulls in (tests/unit/parse/test_parse_fast_mime_part.py).

Wherever the stdlib would note a defect, or the layout is one this reader
does not model (lone CR line ends, multipart/digest, doubled boundary
lines, a missing start or close boundary), it gives up and returns None;
the caller then uses the stdlib parser, so odd messages read exactly as
before. tests/unit/parse/test_parse_fast_path.py compares both readings.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.errors import MessageDefect

# Content types whose body is another message that no reader parses further.
UNPARSED_BODY_TYPES = frozenset({"message/rfc822", "message/global"})

# One field: (name, value with its continuation lines), the blanks after the
# colon and the line end after the value left out, as compat32 stores it
# (but for the CR of a CRLF line end, taken off after). The feed parser reads
# a line of a header block as a field (a name, then a colon) or a
# continuation (a blank first); anything else there, an empty line too, is a
# defect it notes. Continuation lines go with their field, so a line start
# that no field takes is such a line: there the other branch matches nothing
# and findall gives ("", "") (a field's name is never empty). One pass both
# reads and checks the block, ~25% quicker than a check and then a read.
# The repeats are possessive: what follows each can never fail (only `\n?`
# comes after the value), so a greedy repeat never gives back and the engine
# need not keep its backtracking points (~10% quicker over the corpus blocks).
_FIELD = re.compile(r"(?m)^(?:([\041-\071\073-\176]++):[ \t]*+(.*+(?:\n[ \t].*+)*+)\n?|(?!\Z))")
_NOT_A_FIELD = ("", "")
_MAX_DEPTH = 40
# The line end before an empty line (LF or CRLF), wherever the first one is:
# one search instead of a find for each kind (~2x quicker on a header block).
_BLANK_LINE = re.compile(r"\n\r?\n")
# The feed parser's test for a line of the header block (email.feedparser.headerRE).
_STDLIB_HEADER_LINE = re.compile(r"From |[\041-\071\073-\176]*:|[\t ]")


class _Unusual(Exception):
    """The message needs the stdlib parser's handling."""


# mypy reads the quick reader's part as the `Message` it stands in for (every
# reader is typed with `Message`); at run time it is a class of its own, so
# the quick path never imports email.message (nor email.utils, email.header,
# email.charset, socket, urllib, random, calendar... that it pulls in).
if TYPE_CHECKING:
    from email.message import Message

    _PartBase = Message
else:
    _PartBase = object

# The Message methods a ReadMessage answers through the stdlib `Message` it
# stands for (see ReadMessage._stdlib): read-only ones, none on the common path.
_DELEGATED = frozenset(
    {
        "get_params",
        "get_boundary",
        "get_filename",
        "get_content_charset",
        "get_charsets",
        "get_content_disposition",
        "get_charset",
        "get_all",
        "values",
        "items",
        "as_string",
        "as_bytes",
        "policy",
    }
)


class ReadMessage(_PartBase):
    """One part of the quick reader's tree: what a compat32 `Message` holds and
    answers, without being one.

    Readers ask a part for its fields, content type, parameters and payload,
    many times each; `email.message.Message` answers by walking its field list
    on every call, and importing it (with email.utils, email.header,
    email.charset, socket, urllib, ...) was ~15 ms of every start. This class
    keeps the same attributes (`_headers`, `_payload`, `_unixfrom`,
    `preamble`, `epilogue`, `defects`, `_default_type`) and answers the common
    questions itself, with `Message`'s results: `get`, `[]`, `in`, `len`,
    iteration, `keys`, `raw_items`, `get_content_type` (and main/sub type),
    `get_default_type`, `is_multipart`, `get_payload` (decoding quoted-printable
    and base64 as compat32 does, defects included), `walk`, `get_unixfrom`.
    The rarer read-only questions (`get_param`, `get_filename`, `items`,
    `as_string`, ... in `_DELEGATED`) go to a stdlib `Message` built from this
    part on first use (`_stdlib`), sharing its field list and defects. Nothing
    changes a tree after reading; there are no setters.
    tests/unit/parse/test_parse_fast_mime_part.py compares every answer with
    the stdlib tree's over the corpus and fixtures.

    Ask for the content type through `content_type` / `content_param`, which
    also take stdlib-built parts, and for fields through `first_fields` /
    `field_value`.
    """

    # Constant ones are class defaults: each is only ever replaced on an
    # instance, never changed in place.
    _unixfrom: str | None = None
    _charset = None
    preamble: str | None = None
    epilogue: str | None = None
    _default_type = "text/plain"

    def __init__(self) -> None:
        self._headers: list[tuple[str, str]] = []
        self._payload: list[Message] | str | None = None
        self.defects: list[MessageDefect] = []

    content_type = "text/plain"  # get_content_type()
    content_type_value: str | None = None  # get("content-type")
    _params: dict[str, str] | None = None  # simple_params of that value, on first use
    _params_read = False
    # Length of the header block as read: no less than the fields' names and
    # values together, so a view's size limit needs no count when it is small.
    head_size = 0
    _first: dict[str, str] | None = None  # first_fields, on first use
    _stdlib_copy: Message | None = None  # _stdlib(), on first use

    if not TYPE_CHECKING:  # mypy takes Message's signatures; these answer as it does

        def get(self, name, failobj=None):
            first = self._first
            value = (first if first is not None else first_fields(self)).get(name.lower())
            if value is None:
                return failobj
            if value.isascii():
                return value
            return self._stdlib().get(name, failobj)  # 8-bit bytes: compat32 makes a Header

        def __getitem__(self, name):
            return self.get(name)

        def __contains__(self, name):
            first = self._first
            return name.lower() in (first if first is not None else first_fields(self))

        def __len__(self):
            return len(self._headers)

        def __iter__(self):
            for name, _ in self._headers:
                yield name

        def keys(self):
            return [name for name, _ in self._headers]

        def raw_items(self):
            return iter(self._headers.copy())

        def is_multipart(self):
            return isinstance(self._payload, list)

        def get_content_type(self):
            return self.content_type

        def get_content_maintype(self):
            return self.content_type.split("/")[0]

        def get_content_subtype(self):
            return self.content_type.split("/")[1]

        def get_default_type(self):
            return self._default_type

        def get_unixfrom(self):
            return self._unixfrom

        def walk(self):
            yield self
            if isinstance(self._payload, list):
                for sub in self._payload:
                    yield from sub.walk()

        def get_payload(self, i=None, decode=False):
            payload = self._payload
            if isinstance(payload, list):
                if decode:
                    return None
                return payload if i is None else payload[i]
            if i is not None or not isinstance(payload, str):
                return self._stdlib().get_payload(i, decode)  # the stdlib's error or answer
            if not payload.isascii():
                if not decode:
                    return self._stdlib().get_payload()  # decoded by the declared charset
            elif not decode:
                return payload
            try:
                data = payload.encode("ascii", "surrogateescape")
            except UnicodeEncodeError:  # not read from bytes (a pasted original)
                return self._stdlib().get_payload(decode=True)
            encoding = field_value(self, "content-transfer-encoding")
            encoding = "" if encoding is None else encoding.lower()
            if encoding == "quoted-printable":
                # quopri.decodestring's own decoder, without importing quopri
                import binascii  # only for a part in that encoding

                return binascii.a2b_qp(data)
            if encoding == "base64":
                value, defects = _decode_base64(b"".join(data.splitlines()))
                self.defects.extend(defects)  # as compat32's handle_defect registers them
                return value
            if encoding in ("x-uuencode", "uuencode", "uue", "x-uue"):
                return self._stdlib().get_payload(decode=True)
            return data

        def get_param(self, param, failobj=None, header="content-type", unquote=True):
            # The Content-Type's plain parameters as content_param reads them
            # (the pipeline asks for the boundary of a message with a defect).
            if header == "content-type" and unquote and param.isascii():
                content_param(self, "")  # reads _params once
                params = self._params
                if params is not None:  # (no Content-Type: none)
                    return params.get(param.lower(), failobj)
            return self._stdlib().get_param(param, failobj, header, unquote)

        def __getattr__(self, name):
            if name in _DELEGATED:
                return getattr(self._stdlib(), name)
            raise AttributeError(name)

        def __str__(self):
            return str(self._stdlib())

        def __bytes__(self):
            return bytes(self._stdlib())

    def _stdlib(self) -> Message:
        """The stdlib `Message` this part stands for (email.message imported
        here, on the rare questions only): the same field list and defects
        list, the sub-parts' own stdlib messages. Made once; the payload,
        preamble and epilogue are brought up to date on every call, since the
        reader may ask (a boundary) before it has set them."""
        found = self._stdlib_copy
        if found is None:
            found = self._stdlib_copy = _stdlib_message(self._headers)
            found._unixfrom = self._unixfrom  # type: ignore[attr-defined]
            found.defects = self.defects
            found.set_default_type(self._default_type)
        payload = self._payload
        if isinstance(payload, list):
            payload = [p._stdlib() if isinstance(p, ReadMessage) else p for p in payload]
        found._payload = payload  # type: ignore[attr-defined]
        found.preamble = self.preamble
        found.epilogue = self.epilogue
        return found


def _decode_base64(encoded: bytes) -> tuple[bytes, list[MessageDefect]]:
    """What compat32's `get_payload(decode=True)` makes of a base64 body (its
    `email._encoded_words.decode_b`): the bytes, and the defects it notes.

    That module imports `string` and email.errors (~1.5 ms) for what is, on
    a well-formed body, one b64decode; email.errors is imported here only
    when there is a defect to note. Strict first (the padding made up),
    then lenient (characters outside the alphabet skipped), then with all
    the padding it could need; a length no padding mends is given back as
    it came. tests/unit/parse/test_parse_fast_mime_part.py compares the two.
    `binascii.a2b_base64` is what `base64.b64decode` calls on bytes (its
    `validate` is `strict_mode`): base64 itself, with struct, is not imported.
    """
    import binascii

    short = len(encoded) % 4
    try:
        value = binascii.a2b_base64(
            encoded + b"==="[: 4 - short] if short else encoded, strict_mode=True
        )
    except binascii.Error:
        pass
    else:
        if not short:
            return value, []
        from email.errors import InvalidBase64PaddingDefect

        return value, [InvalidBase64PaddingDefect()]
    from email.errors import (
        InvalidBase64CharactersDefect,
        InvalidBase64LengthDefect,
        InvalidBase64PaddingDefect,
    )

    defects: list[MessageDefect] = [InvalidBase64CharactersDefect()]
    try:
        return binascii.a2b_base64(encoded, strict_mode=False), defects
    except binascii.Error:
        pass
    try:
        value = binascii.a2b_base64(encoded + b"==", strict_mode=False)
    except binascii.Error:
        return encoded, [InvalidBase64LengthDefect()]
    return value, [*defects, InvalidBase64PaddingDefect()]


def _stdlib_message(headers: list[tuple[str, str]]) -> Message:
    """A compat32 `Message` with these fields."""
    from email.message import Message

    msg = Message()
    msg._headers = headers  # type: ignore[attr-defined]
    return msg


def first_fields(part: Message) -> dict[str, str]:
    """The part's fields by lower-case name, the first occurrence of each, undecoded,
    in the order they first occur: `{name.lower(): value}` over `raw_items()`
    with `setdefault`. Kept on the quick reader's parts (do not change it); the
    view's headers, the returned original's fields and `field_value` read it.
    """
    if isinstance(part, ReadMessage):
        first = part._first
        if first is None:
            first = part._first = {}
            for name, value in part._headers:
                first.setdefault(name.lower(), value)
        return first
    found: dict[str, str] = {}
    for name, value in part.raw_items():
        found.setdefault(name.lower(), value)
    return found


def field_value(part: Message, name: str) -> str | None:
    """`str(part.get(name))` for a lower-case name, or None when the part has no such field.

    `Message.get` lowers every field's name on every call; the quick reader's
    parts answer from `first_fields`. A value with 8-bit bytes (compat32 makes
    it a `Header`) is left to `get`.
    """
    if isinstance(part, ReadMessage):
        first = part._first
        value = (first if first is not None else first_fields(part)).get(name)
        if value is None or value.isascii():
            return value
    found = part.get(name)
    return None if found is None else str(found)


def content_type(part: Message) -> str:
    """`part.get_content_type()`, without reading the header again for the quick reader's parts."""
    if isinstance(part, ReadMessage):
        return part.content_type
    return part.get_content_type()


def content_param(part: Message, name: str) -> str | None:
    """`part.get_param(name)` (a lower-case name) when that is a string, else None."""
    if type(part) is ReadMessage:
        if not part._params_read:
            value = part.content_type_value
            part._params = {} if value is None else simple_params(value)
            part._params_read = True
        if part._params is not None:
            return part._params.get(name)
        found = part._stdlib().get_param(name)
    else:
        found = part.get_param(name)
    return found if isinstance(found, str) else None


def filename(part: Message) -> str | None:
    """`part.get_filename()`: the Content-Disposition's filename, else the
    Content-Type's name, unquoted and stripped; None when neither is there.

    Read through `simple_params` where it answers (a quick part's stdlib
    reading would import email.message for one question); any other value,
    and stdlib parts, are asked directly.
    tests/unit/parse/test_parse_fast_mime_part.py compares the two.
    """
    if isinstance(part, ReadMessage):
        first = first_fields(part)
        disposition = first.get("content-disposition")
        params = None if disposition is None else simple_params(disposition)
        if disposition is None or params is not None:
            found = None if params is None else params.get("filename")
            if found is None and part.content_type_value is not None:
                params = simple_params(part.content_type_value)
                if params is None:
                    return part.get_filename()
                found = params.get("name")
            # get_filename unquotes once more (collapse_rfc2231_value)
            return None if found is None else _unquote(found).strip()
    return part.get_filename()


def simple_params(value: str) -> dict[str, str] | None:
    """Content-Type parameters by lower-case name, each as `get_param` returns it
    (the first of a repeated name); None when the value needs the stdlib's reading.

    Only the plain shape is read here: ASCII, no backslash escapes, no RFC 2231
    names (`name*`), no quoted ";". For it, `get_param` comes down to
    `email.utils.unquote` (`_unquote`) of the stripped value
    (its re-quoting round trip changes nothing without backslashes and
    inner quotes). tests/unit/parse/test_parse_content_params.py compares
    the two on every corpus part and on generated values.
    """
    if not value.isascii() or "\\" in value:
        return None
    segments = value.split(";")
    params: dict[str, str] = {}
    if "=" not in segments[0]:
        # get_param matches the type itself too, as a name with an empty value.
        if segments[0].count('"') % 2:
            return None
        params[segments[0].strip().lower()] = ""
        del segments[0]
    # else a type with "=" in it (a ";" left out: 'text/plain charset="x"'),
    # which the stdlib splits at its "=" as it does a parameter.
    for segment in segments:
        name, _, raw = segment.partition("=")
        name = name.strip().lower()
        if "*" in name:
            return None
        # `_unquote` of the stripped value, inline (no backslash: nothing for
        # it to unescape); the quote tests only where there is a quote (most
        # segments: a charset, a report type).
        found = raw.strip()
        quoted = '"' in segment
        if quoted and segment.count('"') % 2:
            return None  # a ";" inside quotes: split where the stdlib would not
        if len(found) > 1 and (
            (found[0] == '"' and found[-1] == '"') or (found[0] == "<" and found[-1] == ">")
        ):
            found = found[1:-1]
        if quoted and '"' in found:
            return None
        params.setdefault(name, found)
    return params


def parse_fast(data: bytes) -> Message | None:
    """The message tree, or None when the stdlib parser must read it."""
    text = data.decode("ascii", "surrogateescape")
    lf_only = "\r" not in text
    if not lf_only and text.count("\r") != text.count("\r\n"):
        return None  # lone CRs end lines for the stdlib; not modelled here
    try:
        msg, _, _ = _read(text, 0, unparsed_body=False, lf_only=lf_only)
    except _Unusual:
        return None
    return msg


def parse_headers_only(text: str) -> Message:
    """`HeaderParser(policy=compat32).parsestr(text, headersonly=True)`, quicker:
    the fields, and everything after the empty line as one string."""
    lf_only = "\r" not in text
    if lf_only or text.count("\r") == text.count("\r\n"):
        quick = _read_headers_only(text, lf_only)
        if quick is not None:
            return quick
    from email._policybase import compat32  # the rare layouts only
    from email.parser import HeaderParser

    parsed: Message = HeaderParser(policy=compat32).parsestr(text, headersonly=True)
    return parsed


def _read_headers_only(text: str, lf_only: bool = False) -> ReadMessage | None:
    """parse_headers_only's reading, or None where the stdlib's is needed."""
    head, body = _split_head(text, lf_only)
    msg = ReadMessage()
    try:
        declared = _parse_headers(msg, head)
    except _Unusual:
        # Prose among the lines (pasted headers often end so): the feed
        # parser ends the headers there and notes it, as `_read` reads it.
        cut = _first_prose_line(head)
        if cut < 0 or head.startswith("From "):
            return None
        msg = ReadMessage()
        try:
            declared = _parse_headers(msg, head[:cut])
        except _Unusual:
            return None
        head, body = head[:cut], text[cut:]
        from email.errors import MissingHeaderBodySeparatorDefect

        msg.defects.append(MissingHeaderBodySeparatorDefect())
    if declared is not None:
        msg.content_type = _content_type(msg, declared)
        msg.content_type_value = declared
    msg.head_size = len(head)
    msg._payload = body
    return msg


def _split_head(text: str, lf_only: bool = False) -> tuple[str, str]:
    """(header block with its line ends, body after the empty line)."""
    head_end, body_start = _split_at(text, 0, len(text), lf_only)
    return text[:head_end], text[body_start:]


def _split_at(text: str, start: int, end: int, lf_only: bool = False) -> tuple[int, int]:
    """`_split_head(text[start:end])` as positions in `text`: (where the header
    block ends, where the body starts), so a part is read without a copy of it.

    The first characters are read by index: `str.startswith` (and endswith,
    find, count) parses its arguments through the generic tuple parser,
    several times the cost of an index and a compare (the reader made ~30
    such calls a message, ~4% of its instructions).

    `lf_only`: the text holds no CR, so the blank line is "\n\n": a find,
    which skips through the text, where the pattern stops at every line end
    to try `\r?\n` (~1/3 fewer instructions over the corpus's blocks).
    tests/unit/parse/test_parse_quick_fields.py compares the two."""
    if start < end:
        first = text[start]
        if first == "\n":
            return start, start + 1
        if first == "\r" and start + 1 < end and text[start + 1] == "\n":
            return start, start + 2
    if lf_only:
        at = text.find("\n\n", start, end)
        return (end, end) if at < 0 else (at + 1, at + 2)
    blank = _BLANK_LINE.search(text, start, end)
    if blank is None:
        return end, end
    return blank.start() + 1, blank.end()


def _parse_headers(msg: ReadMessage, head: str, *, keep_first: bool = True) -> str | None:
    """The feed parser's header reading, giving up where it would note a defect.

    Returns the first Content-Type value (what `Message.get` would find), if any.
    `keep_first`: the part's `first_fields` made in the same loop that finds
    the Content-Type (every part's fields are asked for but a delivery-status
    block's, which are read in order).
    """
    if not head:
        return None
    if head[:5] == "From ":
        line_end = head.find("\n")
        line = head if line_end < 0 else head[:line_end]
        msg._unixfrom = line.removesuffix("\r")
        head = "" if line_end < 0 else head[line_end + 1 :]
        if not head:
            return None
    # What compat32's header_source_parse gives for each field, stored as set_raw
    # would: the value without its line end. A value never ends in a CR of its
    # own here (parse_fast and parse_headers_only take no lone CRs).
    fields: list[tuple[str, str]] = _FIELD.findall(head)
    if _NOT_A_FIELD in fields:
        raise _Unusual
    if "\r" in head:
        fields = [(name, value.rstrip("\r")) for name, value in fields]
    msg._headers = fields
    if keep_first:
        first: dict[str, str] = {}
        for name, value in fields:
            first.setdefault(name.lower(), value)
        msg._first = first
        return first.get("content-type")
    for name, value in fields:
        if len(name) == 12 and name.lower() == "content-type":
            return value
    return None


def _content_type(msg: ReadMessage, value: str | None) -> str:
    """`msg.get_content_type()` as a stdlib `Message` answers, without searching the headers again."""
    if value is None:
        return msg._default_type
    if not value.isascii():
        # 8-bit bytes: the stdlib's Header handling (the payload is not read yet)
        return _stdlib_message(msg._headers).get_content_type()
    ctype = value.partition(";")[0].strip().lower()
    _, slash, subtype = ctype.partition("/")  # exactly one "/"
    return ctype if slash and "/" not in subtype else "text/plain"


def _strip_eol(value: str) -> str:
    if value.endswith("\r\n"):
        return value[:-2]
    if value.endswith(("\n", "\r")):
        return value[:-1]
    return value


def _text_before_eol(text: str, start: int, end: int, strip_eol: bool) -> str:
    """`text[start:end]`, without its last line end when `strip_eol` (as `_strip_eol`
    would take it off), cut in one slice (the last characters read by index,
    as `_split_at` reads the first)."""
    if strip_eol and end > start:
        last = text[end - 1]
        if last == "\n":
            end -= 2 if end - 2 >= start and text[end - 2] == "\r" else 1
        elif last == "\r":
            end -= 1
    return text[start:end]


def _read(
    text: str,
    depth: int,
    *,
    unparsed_body: bool,
    start: int = 0,
    end: int | None = None,
    strip_eol: bool = False,
    lf_only: bool = False,
) -> tuple[Message, Message, bool]:
    """(the message, the last message created inside it as the feed parser tracks
    it, whether that one is a multipart).

    The message is `text[start:end]`, read in place (a part of a multipart is
    not copied out first, and its payload is cut once). `strip_eol`: the line
    end before the next boundary belongs to the boundary (RFC 2046), so the
    last message's payload (or a multipart's epilogue) ends before it.
    `lf_only`: the text holds no CR (see `_split_at`).
    tests/unit/parse/test_parse_fast_path.py compares the trees with the
    stdlib's.
    """
    if depth > _MAX_DEPTH:
        raise _Unusual
    if end is None:
        end = len(text)
    msg = ReadMessage()
    head_end, body_start = _split_at(text, start, end, lf_only)
    head = text[start:head_end]
    msg.head_size = head_end - start
    try:
        declared = _parse_headers(msg, head)
    except _Unusual:
        cut = _first_prose_line(head)
        if cut == 0:
            # Prose where the headers belong ("[original message goes here]"): the
            # feed parser notes the missing separator and reads it all as a text body.
            from email.errors import MissingHeaderBodySeparatorDefect

            msg.defects.append(MissingHeaderBodySeparatorDefect())
            msg._payload = _text_before_eol(text, start, end, strip_eol)
            return msg, msg, False
        # Prose after some header lines (an unindented "boundary=" line, say):
        # the feed parser ends the headers there and reads the rest as the body.
        if cut < 0 or head.startswith("From "):
            raise
        declared = _parse_headers(msg, head[:cut])
        from email.errors import MissingHeaderBodySeparatorDefect

        msg.defects.append(MissingHeaderBodySeparatorDefect())
        body_start = start + cut
    # No Content-Type: _content_type() gives the default type of a part made here.
    ctype = "text/plain" if declared is None else _content_type(msg, declared)
    msg.content_type = ctype
    msg.content_type_value = declared
    if unparsed_body:
        # The feed parser takes a multipart here for the last multipart, whose
        # epilogue (None) it would cut, and leaves the body whole.
        multipart = ctype[:10] == "multipart/"
        msg._payload = _text_before_eol(text, body_start, end, strip_eol and not multipart)
        return msg, msg, multipart
    if ctype == "message/delivery-status":
        last = _read_field_blocks(msg, text[body_start:end], strip_eol, lf_only)
        return msg, last, False
    if ctype[:8] == "message/":
        inner, last, last_multipart = _read(
            text,
            depth + 1,
            unparsed_body=ctype in UNPARSED_BODY_TYPES,
            start=body_start,
            end=end,
            strip_eol=strip_eol,
            lf_only=lf_only,
        )
        msg._payload = [inner]
        return msg, last, last_multipart
    if ctype[:10] == "multipart/":
        if (
            content_param(msg, "boundary") is None  # read once; get_boundary re-reads
            and ctype != "multipart/digest"
            # simple_params answered, or get_boundary (its own reading) finds none either
            and (msg._params is not None or _stdlib_message(msg._headers).get_boundary() is None)
        ):
            # The feed parser reads it all as the body, noting the defect
            # (and, at the top, that a multipart holds no parts; its epilogue
            # stays None, so there is no line end to take off).
            from email.errors import MultipartInvariantViolationDefect, NoBoundaryInMultipartDefect

            msg.defects.append(NoBoundaryInMultipartDefect())
            if depth == 0:
                msg.defects.append(MultipartInvariantViolationDefect())
            msg._payload = text[body_start:end]
            return msg, msg, True
        _read_multipart(msg, ctype, text, depth, body_start, end, lf_only)
        if strip_eol:
            if msg.epilogue == "":
                msg.epilogue = None
            elif msg.epilogue is not None:
                msg.epilogue = _strip_eol(msg.epilogue)
        return msg, msg, True
    msg._payload = _text_before_eol(text, body_start, end, strip_eol)
    return msg, msg, False


def _first_prose_line(head: str) -> int:
    """Where the first line the feed parser does not take for a header line starts, or -1."""
    pos = 0
    while pos < len(head):
        if not _STDLIB_HEADER_LINE.match(head, pos):
            return pos
        pos = head.find("\n", pos) + 1
        if pos == 0:
            break
    return -1


def _read_field_blocks(
    msg: ReadMessage, body: str, strip_eol: bool, lf_only: bool = False
) -> Message:
    """message/delivery-status as the feed parser reads it: one header-only
    message per block of fields, blocks split by single empty lines (each
    further empty line makes an empty block). Returns the last block, whose
    payload (empty unless prose followed its fields) loses its line end to
    the next boundary when `strip_eol`."""
    pos, size = 0, len(body)
    blocks: list[Message] = []
    msg._payload = blocks
    while True:
        if body[pos : pos + 1] == "\n" or body[pos : pos + 2] == "\r\n":
            blank = pos
        elif lf_only:  # no CR: the blank line is "\n\n" (see _split_at)
            blank = body.find("\n\n", pos)
            blank = -1 if blank < 0 else blank + 1
        else:
            found = _BLANK_LINE.search(body, pos)
            blank = -1 if found is None else found.start() + 1
        block = ReadMessage()
        fields = body[pos:] if blank < 0 else body[pos:blank]
        rest = ""
        try:
            declared = _parse_headers(block, fields, keep_first=False)
        except _Unusual:
            # Prose after some fields (nullmailer copies a multi-line reply
            # into Diagnostic-Code unfolded): the feed parser ends the block's
            # fields there, noting the defect, and keeps the rest as its payload.
            cut = _first_prose_line(fields)
            if cut <= 0:
                raise
            declared = _parse_headers(block, fields[:cut], keep_first=False)
            from email.errors import MissingHeaderBodySeparatorDefect

            block.defects.append(MissingHeaderBodySeparatorDefect())
            rest = fields[cut:]
        if declared is not None:
            block.content_type = _content_type(block, declared)
            block.content_type_value = declared
            if block.content_type.startswith(("message/", "multipart/")):
                raise _Unusual  # the stdlib reads such a block as a message of that type
        block._payload = rest
        blocks.append(block)
        if blank >= 0:
            pos = blank + (2 if body[blank : blank + 2] == "\r\n" else 1)
        if blank < 0 or pos >= size:
            if strip_eol and rest:
                block._payload = _strip_eol(rest)
            return block


def _delimiters(text: str, separator: str, begin: int, size: int) -> list[tuple[int, int, bool]]:
    """(start, end, closing) of each boundary line in `text[begin:size]` (positions
    in `text`), as the feed parser matches them: the separator at a line start,
    maybe "--", blanks, then the line end."""
    found: list[tuple[int, int, bool]] = []
    line = "\n" + separator
    after = len(separator)
    if text.startswith(separator, begin, size):
        start = begin
    else:
        start = text.find(line, begin, size) + 1
        if start == 0:
            return found
    while True:
        pos = start + after
        # The characters after the separator read by index (see _split_at).
        closing = pos + 2 <= size and text[pos : pos + 2] == "--"
        if closing:
            pos += 2
        while pos < size and text[pos] in " \t":
            pos += 1
        if pos + 2 <= size and text[pos : pos + 2] == "\r\n":
            found.append((start, pos + 2, closing))
        elif pos < size and text[pos] == "\n":
            found.append((start, pos + 1, closing))
        elif pos == size:
            found.append((start, pos, closing))
        start = text.find(line, start, size) + 1
        if start == 0:
            return found


def _unquote(value: str) -> str:
    """`email.utils.unquote` (email.utils imports socket, urllib, random, datetime...)."""
    if len(value) > 1:
        if value[0] == '"' and value[-1] == '"':
            return value[1:-1].replace("\\\\", "\\").replace('\\"', '"')
        if value[0] == "<" and value[-1] == ">":
            return value[1:-1]
    return value


def _read_multipart(
    msg: ReadMessage,
    ctype: str,
    text: str,
    depth: int,
    begin: int,
    size: int,
    lf_only: bool = False,
) -> None:
    """The parts of the multipart whose body is `text[begin:size]`, read in place."""
    if ctype == "multipart/digest":
        raise _Unusual
    param = content_param(msg, "boundary")
    if param is None:
        raise _Unusual
    boundary = _unquote(param).rstrip()  # msg.get_boundary(), from the parameter
    encoding = field_value(msg, "content-transfer-encoding")
    if encoding is not None and encoding.lower() not in ("7bit", "8bit", "binary"):
        raise _Unusual
    marks = _delimiters(text, "--" + boundary, begin, size)
    if not marks or marks[0][2]:
        # No start boundary (pipeline may repair the boundary): the feed parser
        # notes it and keeps what came before any close boundary as the body,
        # dropping what came after it.
        from email.errors import MultipartInvariantViolationDefect, StartBoundaryNotFoundDefect

        msg.defects.append(StartBoundaryNotFoundDefect())
        if depth == 0:
            msg.defects.append(MultipartInvariantViolationDefect())
        msg._payload = text[begin : marks[0][0]] if marks else text[begin:size]
        msg.epilogue = ""
        return
    if marks[0][0] > begin:
        msg.preamble = _strip_eol(text[begin : marks[0][0]])
    parts: list[Message] = []
    msg._payload = parts  # the first mark opens a part: at least one follows
    for i, (_, mark_end, closing) in enumerate(marks):
        if closing:
            msg.epilogue = text[mark_end:size]
            return
        end = marks[i + 1][0] if i + 1 < len(marks) else size
        if end == mark_end and i + 1 < len(marks):
            raise _Unusual  # doubled boundary lines: the stdlib skips them its own way
        # The line end before a boundary belongs to the boundary (RFC 2046).
        part, _, _ = _read(
            text,
            depth + 1,
            unparsed_body=False,
            start=mark_end,
            end=end,
            strip_eol=True,
            lf_only=lf_only,
        )
        parts.append(part)
    # Unclosed (often a truncated sample): the last part ran to the end.
    from email.errors import CloseBoundaryNotFoundDefect  # email.errors alone: light

    msg.defects.append(CloseBoundaryNotFoundDefect())
