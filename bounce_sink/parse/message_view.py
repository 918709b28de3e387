"""One parsed message, looked at the way bounce readers need it.

The quick reader (fast_mime), or the stdlib parser (policy.compat32) for the
layouts it leaves to it, builds the tree; this view walks it once,
within the limits, and keeps what every reader asks for: decoded top-level
headers, the human-readable text the reporting MTA wrote, the machine-readable
delivery-status blocks, and the returned original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from bounce_sink.parse.fast_mime import (
    ReadMessage,
    content_param,
    content_type,
    field_value,
    filename,
    first_fields,
    parse_headers_only,
)
from bounce_sink.parse.limits import Limits
from bounce_sink.parse.text_decoding import decode_header_value, part_text, payload_of

if TYPE_CHECKING:
    from email.message import Message  # the quick reader's parts are not imported as such

DSN_TYPES = frozenset(
    {"message/delivery-status", "message/global-delivery-status", "text/delivery-status"}
)
ORIGINAL_TYPES = frozenset(
    {
        "message/rfc822",
        "text/rfc822-headers",
        "message/global",
        "message/global-headers",
        "message/rfc822-headers",
        "text/rfc822",
    }
)

_T = TypeVar("_T")
_TAG = re.compile(r"<[^>]*>")
# The runs of blanks that collapsing changes: two or more, or a tab (a lone
# space stays as it is; `[ \t]+` rewrote each one, ~1 us a kB of HTML text).
_SPACE = re.compile(r"[ \t]{2,}|\t")


# Compiled on first use (through re's cache): most bounces have no HTML part.
# A script or style element up to its first end tag: the body taken
# possessively up to a "<" that starts that end tag (~3x quicker on a long
# style sheet than the lazy `.*?</\1>`, which tries the end tag at every
# character; the same matches: tests/unit/parse/test_parse_quick_fields.py).
_SCRIPT = r"(?is)<(script|style)\b(?:[^<]++|<(?!/\1>))*+</\1>"
_LINE_TAG = r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>|</h\d>"


def html_to_text(html: str) -> str:
    """Just enough HTML stripping for MTAs that only send an HTML bounce."""
    html = re.sub(_SCRIPT, " ", html)
    html = re.sub(_LINE_TAG, "\n", html)
    text = _TAG.sub(" ", html)
    for ent, ch in (
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(ent, ch)
    # Each line stripped, then the runs of blanks collapsed, once, where some
    # are left. A run never spans a line break, and the runs at a line's ends
    # lie in what strip() takes off whichever comes first, so this is
    # collapsing then stripping, as this was written before; but an HTML
    # bounce's text is mostly indentation (AOL's: 277 runs on 314 lines, one
    # left inside a line), which strip() takes off without a regex match each.
    # tests/unit/parse/test_parse_html_text_sa.py compares the two.
    text = "\n".join([line.strip() for line in text.splitlines()])
    if "  " in text or "\t" in text:
        text = _SPACE.sub(" ", text)
    return text


class cached_once(Generic[_T]):
    """`functools.cached_property` without its lock.

    Python 3.11's takes an RLock on every first access (3.12 dropped it); a
    view is read by one thread and has ~8 of these computed per message. The
    value is stored in the instance's __dict__, which shadows this non-data
    descriptor from then on, as functools' does.
    """

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> cached_once[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any]) -> _T: ...

    def __get__(self, instance: object, owner: type[Any]) -> _T | cached_once[_T]:
        if instance is None:
            return self
        value = self._compute(instance)
        instance.__dict__[self._name] = value
        return value


class LazyHeaders(Mapping[str, str]):
    """Header fields decoded only when a reader asks for them (most never are)."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw
        self._decoded: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    @overload
    def get(self, key: str, /) -> str | None: ...

    @overload
    def get(self, key: str, /, default: str | _T) -> str | _T: ...

    def get(self, key: str, /, default: object = None) -> object:
        # Mapping.get goes through a KeyError for every absent field, and a
        # first read went through one more: the format registry asks ~20
        # fields per message, the envelope and the readers ~10 more.
        value = self._decoded.get(key)
        if value is not None:
            return value
        raw = self._raw.get(key)
        if raw is None:
            return default
        if (
            type(raw) is str
            and raw.isascii()
            and "=?" not in raw
            and "\n" not in raw
            and "\r" not in raw
            and "\x1b" not in raw
        ):
            # decode_header_value's own first test, without the call (most
            # fields): plain ASCII on one line decodes to itself, stripped.
            value = raw.strip()
        else:
            value = decode_header_value(raw)
        value = self._decoded[key] = value[:4000]
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class MessageView:
    """The walked message and what its readers ask of it, each computed once.

    A plain class, not a dataclass: nothing compares or prints views, and
    defining a dataclass cost ~0.8 ms at every start of the command.
    """

    def __init__(self, message: Message, limits: Limits) -> None:
        self.message = message
        self.limits = limits
        self.parts: list[tuple[Message, int]] = []  # (part, depth), walk order
        self.types: list[str] = []  # content type of each part, same order
        self.truncated_walk = False
        self._original_part: Message | None = None
        # The machine-readable parts, in walk order (collected by the walk).
        self.delivery_status_parts: list[Message] = []
        self._walk(message, 0, limits.max_parts, limits.max_depth)
        # What every message is asked (the envelope, the complaint and
        # delivery-status tests), set here rather than on first use: a
        # computed-once property costs a descriptor call on its first read.
        headers = self.headers = self._top_headers()
        # header("subject") and header("from"), without its call and lower-case test.
        subject = headers.get("subject")
        self.subject: str = "" if subject is None else subject
        from_ = headers.get("from")
        self.from_: str = "" if from_ is None else from_
        self.report_type: str = self._report_type()

    # --- walking -----------------------------------------------------------------
    def _walk(self, part: Message, depth: int, max_parts: int, max_depth: int) -> None:
        parts = self.parts
        if len(parts) >= max_parts or depth > max_depth:
            self.truncated_walk = True
            return
        # content_type() and payload_of() as they answer for the quick reader's
        # parts (most), without the two calls per part.
        quick = type(part) is ReadMessage
        ctype = part.content_type if quick else content_type(part)  # type: ignore[attr-defined]
        parts.append((part, depth))
        self.types.append(ctype)
        if ctype in ORIGINAL_TYPES:
            if self._original_part is None and part is not self.message:
                self._original_part = part
            return  # never read the returned original as the bounce's own text
        if ctype in DSN_TYPES:
            self.delivery_status_parts.append(part)
            return  # its field blocks are read by rfc3464, not walked
        payload = part._payload if quick else payload_of(part)  # type: ignore[attr-defined]
        if isinstance(payload, list):
            for sub in payload:  # parts only: payload_of filters a stdlib part's list
                self._walk(sub, depth + 1, max_parts, max_depth)
                if len(parts) >= max_parts:
                    self.truncated_walk = True
                    return

    # --- headers -----------------------------------------------------------------
    def _top_headers(self) -> LazyHeaders:
        """Top-level header fields by lower-case name, first occurrence wins, decoded on use."""
        message = self.message
        if isinstance(message, ReadMessage) and message.head_size <= self.limits.max_header_bytes:
            return LazyHeaders(first_fields(message))  # under the limit: every field
        raw: dict[str, str] = {}
        size = 0
        for name, value in message.raw_items():
            size += len(name) + len(value)
            if size > self.limits.max_header_bytes:
                break
            raw.setdefault(name.strip().lower(), value)
        return LazyHeaders(raw)

    def header(self, name: str) -> str:
        """The decoded field of that name (any case), or "" when there is none."""
        headers = self.headers
        value = headers.get(name)
        if value is not None:
            return value  # callers ask in lower case: no lower() for a field that is there
        return "" if name.islower() else headers.get(name.lower(), "")

    # --- machine-readable parts ----------------------------------------------------
    def _report_type(self) -> str:
        """The report-type parameter of a multipart/report message, lower case, else ""."""
        if content_type(self.message) != "multipart/report":
            return ""
        rt = content_param(self.message, "report-type")
        return rt.lower().strip() if rt is not None else ""

    def parts_of_type(self, ctype: str) -> list[Message]:
        if ctype not in self.types:
            return []  # most asks: a complaint's report part in a bounce
        return [p for (p, _), t in zip(self.parts, self.types, strict=True) if t == ctype]

    # --- human-readable text ---------------------------------------------------
    @cached_once
    def body_text(self) -> str:
        """The text the reporting MTA wrote: text/plain parts, else stripped HTML."""
        plain: list[str] = []
        html: list[Message] = []  # read only when no plain text says anything
        budget = self.limits.max_text_chars
        for (part, _), ctype in zip(self.parts, self.types, strict=True):
            if isinstance(part._payload, list):  # type: ignore[attr-defined]  # is_multipart()
                continue
            # (Slices, not startswith: see fast_mime._split_at.)
            if ctype[:10] == "multipart/":
                ctype = "text/plain"  # a multipart whose boundary never came: its body is text
            if ctype in DSN_TYPES or ctype in ORIGINAL_TYPES or ctype[:5] != "text/":
                continue
            if part is not self.message and _is_attachment_original(part):
                continue
            if ctype != "text/html":
                plain.append(part_text(part, budget))
            else:
                html.append(part)
        if any(map(says_something, plain)):
            text = "\n".join(plain)
        else:
            text = "\n".join([html_to_text(part_text(part, budget)) for part in html])
        return text[:budget]

    @cached_once
    def body_text_lower(self) -> str:
        """`body_text.lower()`, for the word tests of several readers (each lowered it)."""
        return self.body_text.lower()

    # --- the returned original --------------------------------------------------------
    @cached_once
    def original_fields(self) -> dict[str, str]:
        """The returned original's fields by lower-case name, first occurrence
        wins, undecoded, in their order: read once for the readers that each
        looked up fields with `Message.get` (a walk over all of them per call)."""
        original = self.original
        return {} if original is None else first_fields(original)

    @cached_once
    def original(self) -> Message | None:
        """Headers (and maybe body) of the message that bounced, when it came back."""
        part = self._original_part
        if part is None:
            return self._inline_original()
        payload = payload_of(part)
        if isinstance(payload, list) and payload:
            return payload[0]
        text = part_text(part, self.limits.max_header_bytes)
        if not text.strip():
            return None
        return parse_headers_only(text.lstrip("\n"))

    def _inline_original(self) -> Message | None:
        """Original headers pasted into the text, as qmail/Exim/Sendmail v5 do.

        A marker with no headers below it is prose that uses the same words
        (Sendmail's notice opens "The original message was received at ...",
        its "----- Original message follows -----" comes later): the next
        marker is tried, a few at most.
        """
        text = self.body_text
        lower = self.body_text_lower
        offset = 0
        for _ in range(_MAX_INLINE_MARKERS):
            start = first_inline_marker(text[offset:], lower[offset:])
            if start < 0:
                return None
            # The marker's whole line is the separator; the headers start below it.
            line_end = text.find("\n", offset + start)
            if line_end < 0:
                return None
            offset = line_end + 1
            block = _pasted_block(text[offset:].lstrip("\n"))
            if block is not None:
                return parse_headers_only(block)
        return None


_FIELD_START = re.compile(r"[A-Za-z][\w-]*:")


def _pasted_block(rest: str) -> str | None:
    """The first 200 lines of `rest` as a header block, or None if it does not start with a field.

    Whether the block starts with a field is read from its first line
    alone (a field name cannot run past a line end), before the text below
    a marker is split into lines: below most markers is prose, and the
    split of a whole returned message was most of this step's cost.
    tests/unit/parse/test_parse_pasted_block.py compares it with the split-first reading.
    """
    first, _, _ = rest.partition("\n")
    if first and first != first.splitlines()[0]:
        first = first.splitlines()[0]  # a CR, VT, FF ... ends the line first
    # Some MTAs indent the pasted headers.
    indented = first[:1] in (" ", "\t") and ":" in first
    if _FIELD_START.match(first.strip() if indented else first) is None:
        return None
    lines = rest.splitlines()[:200]
    if indented:
        lines = [ln.strip() for ln in lines]
    return "\n".join(lines)


_MAX_INLINE_MARKERS = 4  # markers tried for pasted headers before giving up
_INLINE_ORIGINAL_WORDS = (
    "copy of the message",
    "original message follows",
    "original message headers",
    "message headers follow",
    "returned message",
    "headers of the original",
    "below this line is a copy",
    "your message reads",
    "the original message",
    "unsent message follows",
    "original mail follows",
    "------ this is a copy of",
    "message header follows",
    "rfc822 message",
)
# Searched for only in the rare texts first_inline_marker cannot read
# itself, so compiled on first use (through re's cache).
_INLINE_ORIGINAL = "(?i)(?:" + "|".join(re.escape(w) for w in _INLINE_ORIGINAL_WORDS) + ")"
# Ten of the words hold "message": they are looked for where "message" occurs
# (~3 times in a bounce's text), the other four by finds.
_ANCHOR = "message"
_ANCHORED_WORDS = tuple((w, w.find(_ANCHOR)) for w in _INLINE_ORIGINAL_WORDS if _ANCHOR in w)
_UNANCHORED_WORDS = tuple(w for w in _INLINE_ORIGINAL_WORDS if _ANCHOR not in w)
_MAX_ANCHOR_OFFSET = max(offset for _, offset in _ANCHORED_WORDS)
_KEY = 4  # characters read next to an occurrence of the anchor


def _anchored_words_by_key() -> tuple[
    dict[str, tuple[tuple[str, int], ...]], dict[str, tuple[tuple[str, int], ...]]
]:
    """The anchored words (each with its anchor's offset) by the four
    characters before "message" in them, or, for a word with fewer before
    it, by the four after it: a word can start at an occurrence only where
    the text holds those same four characters there."""
    before: dict[str, list[tuple[str, int]]] = {}
    after: dict[str, list[tuple[str, int]]] = {}
    for word, offset in _ANCHORED_WORDS:
        tail = offset + len(_ANCHOR)
        if offset >= _KEY:
            before.setdefault(word[offset - _KEY : offset], []).append((word, offset))
        else:
            # Every word has four characters on one side ("message headers follow").
            assert len(word) - tail >= _KEY, word
            after.setdefault(word[tail : tail + _KEY], []).append((word, offset))
    return (
        {key: tuple(words) for key, words in before.items()},
        {key: tuple(words) for key, words in after.items()},
    )


_WORDS_BEFORE, _WORDS_AFTER = _anchored_words_by_key()


def _first_word(folded: str) -> int:
    """Where the earliest of the words starts in the folded text, or -1: the
    least of `folded.find(w)` over them, with 4 finds and a walk over the
    anchor's places instead of 14 finds through the whole text (each word
    is made of common letters, so a find steps through it about one
    character at a time). At each place only the words whose characters
    next to the anchor are the text's there are tried (one or two of ten:
    trying all ten was ~1 us a place).
    tests/unit/parse/test_parse_quick_fields.py compares the two."""
    best = -1
    for word in _UNANCHORED_WORDS:
        at = folded.find(word)
        if at >= 0 and (best < 0 or at < best):
            best = at
    starts = folded.startswith
    at = folded.find(_ANCHOR)
    while at >= 0 and (best < 0 or at - _MAX_ANCHOR_OFFSET < best):
        for words in (
            _WORDS_BEFORE.get(folded[at - _KEY : at]) if at >= _KEY else None,
            _WORDS_AFTER.get(folded[at + len(_ANCHOR) : at + len(_ANCHOR) + _KEY]),
        ):
            if words is None:
                continue
            for word, offset in words:
                start = at - offset
                if start >= 0 and (best < 0 or start < best) and starts(word, start):
                    best = start
        at = folded.find(_ANCHOR, at + 1)
    return best


def first_inline_marker(text: str, lower: str | None = None) -> int:
    """Where the earliest inline-original marker starts, or -1.

    `re.search(_INLINE_ORIGINAL, text).start()`, but about 4x quicker: plain
    finds of each word in the lower-cased text instead of a case-insensitive
    alternation. `re`'s IGNORECASE also equates dotless i with i and long s
    with s, so those two are folded; lower() keeps every other position,
    except for dotted capital I (one character, two when lowered), where the
    regex decides. When no word is in the folded text at all the answer is
    -1, as it always was (the word test came first).
    tests/unit/parse/test_parse_inline_original_marker.py holds both readings
    equal. No word holds a line end, so the marker's line ends after its start.
    `lower`, when given, is `text.lower()` (the view keeps it for several readers).
    """
    folded = text.lower() if lower is None else lower
    if not folded.isascii():
        folded = folded.replace("\u0131", "i").replace("\u017f", "s")
    found = _first_word(folded)
    if found < 0:
        return -1
    if len(folded) != len(text):
        m = re.search(_INLINE_ORIGINAL, text)
        return m.start() if m else -1
    return found


def says_something(text: str) -> bool:
    """Whether a text holds more than blanks: `bool(text.strip())`, without
    strip's copy of a whole text that ends in a line break."""
    return bool(text) and not text.isspace()


def _is_attachment_original(part: Message) -> bool:
    disp = (field_value(part, "content-disposition") or "").lower()
    if "attachment" not in disp:
        return False  # most parts: no need to read the filename parameters
    name = filename(part) or ""
    return name.lower().endswith((".eml", ".msg"))
