"""Turning the bytes of headers and bodies into text, whatever they claim.

Bounces are written by every MTA there is: RFC 2047 words with unknown
charsets, raw 8-bit headers, ISO-2022-JP bodies from Japanese carriers,
`charset="unknown-8bit"`. Nothing here raises; the worst case is U+FFFD.
"""

from __future__ import annotations

import codecs
import re
import sys
from typing import TYPE_CHECKING

from bounce_sink.parse.fast_mime import ReadMessage, content_param, field_value

if TYPE_CHECKING:
    from email.message import Message

# Charset labels MTAs use that Python does not know, mapped to what they mean.
_CHARSET_ALIASES = {
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "unknown": "utf-8",
    "us-ascii": "utf-8",  # mislabeled 8-bit text is common; utf-8 is a superset
    "ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
    "iso-8859-8-i": "iso-8859-8",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "x-user-defined": "latin-1",
    "windows-874": "cp874",
    "gb2312": "gb18030",  # GB18030 is a superset; MTAs mislabel GBK text as gb2312
    "gbk": "gb18030",
}

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")


_CODEC_OF_LABEL: dict[str, str] = {}  # codec_for's answers: a few labels, asked for every part
_MAX_REMEMBERED_LABELS = 256  # hostile mail could bring any number of labels


def codec_for(charset: str | None) -> str:
    """A Python codec name for a MIME charset label, utf-8 when unknown."""
    if not charset:
        return "utf-8"
    known = _CODEC_OF_LABEL.get(charset)
    if known is not None:
        return known
    codec = _lookup_codec(charset)
    if len(_CODEC_OF_LABEL) < _MAX_REMEMBERED_LABELS:
        _CODEC_OF_LABEL[charset] = codec
    return codec


def _lookup_codec(charset: str) -> str:
    label = charset.strip().strip('"').lower()
    label = label.split("*", 1)[0]  # RFC 2231 language suffix
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown, or a label with a NUL in it
        return "utf-8"


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode body or header bytes: declared charset, then utf-8, then cp1252."""
    if not data:
        return ""
    declared = codec_for(charset)
    if b"\x1b" in data and (b"\x1b$" in data or b"\x1b(" in data):
        # ISO-2022-JP escape sequences, whatever the label says.
        declared = "iso2022_jp"
    for name in (declared, "utf-8", "cp1252"):
        try:
            return data.decode(name)
        except (UnicodeError, LookupError, ValueError):  # idna & co. raise plain UnicodeError
            continue
    return data.decode("utf-8", errors="replace")


def _decode_word(charset: str, encoding: str, text: str) -> str:
    # Imported with the first encoded word: most messages have none.
    # binascii.a2b_base64 is base64.b64decode's own decoder (a str of
    # non-ASCII characters raises ValueError in both), binascii.a2b_qp
    # quopri.decodestring's: neither base64 nor quopri is imported.
    import binascii

    try:
        if encoding in "bB":
            pad = "=" * (-len(text) % 4)
            data = binascii.a2b_base64(text + pad)
        else:
            data = binascii.a2b_qp(text.replace("_", " ").encode("ascii", "replace"), header=True)
    except (binascii.Error, ValueError):
        return text
    return decode_bytes(data, charset)


def decode_header_value(value: object) -> str:
    """Text of one header value: RFC 2047 words decoded, 8-bit bytes decoded, unfolded."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and "\x1b" not in value:
        # ASCII text: no Header, no surrogate escapes, no ISO-2022 escapes, so
        # the way below comes down to unfolding and the encoded words (the
        # format dispatch decodes a folded Received field of most messages).
        if "\n" not in value and "\r" not in value:
            if "=?" not in value:
                return value.strip()  # the common case: plain ASCII on one line
            text = value
        else:
            text = unfold(value)
        if "=?" in text:
            text = _BETWEEN_WORDS.sub(r"\1\2", text)
            text = _ENCODED_WORD.sub(
                lambda m: _decode_word(m.group(1), m.group(2), m.group(3)), text
            )
        return text.strip()
    header_module = sys.modules.get("email.header")  # a Header comes only from email.message
    if header_module is not None and isinstance(value, header_module.Header):
        raw = str(value) if not _has_surrogates(str(value)) else _surrogates_to_text(str(value))
        text = raw
    else:
        text = str(value)
        if _has_surrogates(text):
            text = _surrogates_to_text(text)
    if "\x1b" in text:
        # Raw ISO-2022-JP in a header field (Japanese MTAs write Diagnostic-Code so).
        text = decode_bytes(text.encode("utf-8", errors="surrogateescape"), "iso-2022-jp")
    text = unfold(text)
    if "=?" in text:
        text = _BETWEEN_WORDS.sub(r"\1\2", text)
        text = _ENCODED_WORD.sub(lambda m: _decode_word(m.group(1), m.group(2), m.group(3)), text)
    return text.strip()


# A line break and the blanks after it: the single space they unfold to.
_LINE_BREAK = re.compile(r"\n[ \t]*")


def unfold(text: str) -> str:
    """Join folded lines (RFC 5322 §2.2.3) into one.

    Every line break (LF or CRLF) becomes one space, and a continuation
    line's leading blanks go with it; other CRs are dropped. That is
    `re.sub(r"\r?\n[ \t]+", " ", text)` with the CRs and LFs left replaced
    after it, as this was written before; the pattern here starts with its
    line break (the engine skips to them instead of trying every position):
    ~4 -> ~1 us for a Received field, which the format registry's header
    tests decode. tests/unit/parse/test_parse_unfold.py compares the two.
    """
    if "\r" in text:
        return _LINE_BREAK.sub(" ", text.replace("\r\n", "\n")).replace("\r", "")
    return _LINE_BREAK.sub(" ", text) if "\n" in text else text


# compat32's surrogate escapes of 8-bit header bytes. Searched for only in a
# non-ASCII value that is not a Header (none in a corpus run): compiled on
# first use, through re's cache, not at every start (~0.15 ms).
_SURROGATE = "[\udc80-\udcff]"


def _has_surrogates(text: str) -> bool:
    return not text.isascii() and re.search(_SURROGATE, text) is not None


def _surrogates_to_text(text: str) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogate escapes; read them as text."""
    data = text.encode("utf-8", errors="surrogateescape")
    return decode_bytes(data)


def payload_of(part: Message) -> list[Message] | str:
    """A part's payload without decoding it: sub-parts, or its raw text.

    `Message.get_payload()` decodes 8-bit text with the part's declared
    charset and raises on a malformed label; this never does.
    """
    payload: object = getattr(part, "_payload", "")  # the undecoded payload, on purpose
    if isinstance(payload, list):
        if type(part) is ReadMessage:
            # The quick reader's sub-parts are all parts: its own list, to be read, not changed.
            return payload
        from email.message import Message  # a stdlib part: imported already

        return [p for p in payload if isinstance(p, Message)]
    return payload if isinstance(payload, str) else ""


# Codecs that read ASCII bytes as the same characters (not UTF-7, not ISO-2022).
_ASCII_AS_IS = frozenset({"utf-8", "cp1252", "iso8859-1", "iso8859-15"})
# The transfer encodings `get_payload(decode=True)` undoes; it leaves others as they are.
_DECODED_TRANSFER_ENCODINGS = frozenset(
    {"quoted-printable", "base64", "x-uuencode", "uuencode", "uue", "x-uue"}
)


def part_text(part: Message, limit: int) -> str:
    """The decoded text of a non-multipart part (transfer encoding and charset undone)."""
    text = _text_as_is(part) if isinstance(part, ReadMessage) else None
    if text is None:
        return decoded_part_text(part, limit)
    text = text[:limit]
    return lf_line_ends(text) if "\r" in text else text


def _text_as_is(part: ReadMessage) -> str | None:
    """The quick reader's payload itself, where decoding could not change it:
    ASCII without escapes, in no transfer encoding, under a charset that reads
    ASCII as is. Most text parts are; this skips get_payload's round trip
    through bytes (a surrogate test and two copies) and the decode.
    tests/unit/parse/test_parse_shortcuts.py compares it with the full way."""
    payload = part._payload  # payload_of() for the quick reader's parts
    if not isinstance(payload, str) or not payload.isascii() or "\x1b" in payload:
        return None
    encoding = field_value(part, "content-transfer-encoding")
    if encoding is not None and encoding.lower() in _DECODED_TRANSFER_ENCODINGS:
        return None
    if codec_for(content_param(part, "charset")) not in _ASCII_AS_IS:
        return None
    return payload


def decoded_part_text(part: Message, limit: int) -> str:
    """part_text the full way: get_payload's bytes, decoded by the declared charset."""
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        data = payload[: limit * 4]
    else:
        raw = payload_of(part)
        if not isinstance(raw, str):
            return ""
        data = raw.encode("utf-8", errors="surrogateescape")[: limit * 4]
    if isinstance(part, ReadMessage):
        charset = content_param(part, "charset")  # read once per part
    else:
        declared = part.get("content-type")
        # get_param parses every parameter; most parts have no charset to find.
        found = (
            part.get_param("charset")
            if declared is not None and "charset" in str(declared).lower()
            else None
        )
        charset = found if isinstance(found, str) else None
    text = decode_bytes(data, charset)[:limit]
    # Most texts hold no CR: one scan instead of a scan by each replace.
    return lf_line_ends(text) if "\r" in text else text


def lf_line_ends(text: str) -> str:
    """Every line end of a text as one LF: CRLF, a bare CR, and CR CR LF.

    CR CR LF is one line end, not a blank line: a server's CRLF-ended reply
    line pasted into a bounce that is then sent with CRLF line ends (dma 0.13
    writes multi-line replies so). Read as two, every reply line stood in a
    paragraph of its own and a diagnostic stopped after the first line.
    """
    text = text.replace("\r\n", "\n")
    if "\r" not in text:
        return text  # CRLF throughout: what a message that came over SMTP holds
    return text.replace("\r\n", "\n").replace("\r", "\n")
