"""The shared reader behind most prose bounce formats.

Nearly every non-standard MTA writes the same shape: some boilerplate, then
each failed address followed by the remote server's answer or the MTA's own
explanation, then the returned original. The format modules differ in where
that list starts and ends, how an address line looks and what their words
mean; they pass those differences in as a `TextLayout`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bounce_sink.parse.addresses import ADDRESS, find_addresses, is_system_address
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.prose import (
    ORIGINAL_MARKERS,
    earliest_name_line,
    find_original_marker,
    has_case_twin,
)
from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.smtp_codes import (
    clean_diagnostic,
    find_answered_reply_code,
    find_reply_code,
    find_smtp_command,
    find_status,
)

# Returned headers pasted without any marker line.
_PASTED_HEADERS = LazyPattern(
    r"(?im)^[ \t>]*(?:(?:return-path|dkim-signature|mime-version|x-mailer|"
    r"authentication-results|arc-seal):[ \t]|(?:received|message-id):[ \t]?\S)"
)
# The field names _PASTED_HEADERS starts with, after the blanks and ">" it
# passes over: a match starts at the line that holds one there.
_PASTED_NAMES = (
    "return-path",
    "dkim-signature",
    "mime-version",
    "x-mailer",
    "authentication-results",
    "arc-seal",
    "received",
    "message-id",
)
_PASTED_INDENT = " \t>"


def pasted_headers_start(text: str, lower: str | None = None) -> int:
    """Where `_PASTED_HEADERS.search(text)` matches, or -1.

    The case-insensitive multi-line search tries every line of a text that
    holds the field names anywhere (most notices say "received" somewhere).
    A match starts at a line start, and holds one of `_PASTED_NAMES` right
    after the line's blanks and ">": in a text whose lower case `lower`
    keeps every position and is what the pattern compares (no case twin of
    an ASCII letter), the pattern is matched only at the lines where a name
    stands there, earliest first. Other texts are searched.
    tests/unit/parse/test_parse_sb_s9_shortcuts.py compares the two.
    """
    if lower is None or len(lower) != len(text) or (not text.isascii() and has_case_twin(text)):
        m = _PASTED_HEADERS.gated_search(text, lower)
        return m.start() if m else -1
    match = _PASTED_HEADERS.match
    return earliest_name_line(
        lower,
        _PASTED_NAMES,
        _PASTED_INDENT,
        lambda line_start, _: match(text, line_start) is not None,
    )


# A help-desk address in the boilerplate ("please contact <support@...>").
# "... not accepting mail from list@example.org:", AOL's "Sorry
# list@example.org. Your mail to the following recipients ...": the address
# right after "mail from", or greeted at the start of a line, is the
# sender's (ours), never a recipient.
_SENDER_LEAD = LazyPattern(r"\bmail from[\s:<\"]*$|^\s*sorry,?\s+<?$", re.IGNORECASE)
_CONTACT_LINE = LazyPattern(
    r"\b(?:contact|send (?:an? )?(?:e-?mail|mail|message|note) to|write to|assistance|"
    r"questions?|help ?desk|support team)\b",
    re.IGNORECASE,
)
# "To: <addr>" lines describe the returned message; the failure list names
# its recipients elsewhere, so these are only a last resort.
_ORIGINAL_ENVELOPE_LINE = LazyPattern(r"^[ \t>]*(?:to|cc)\s*:", re.IGNORECASE)
# Lines whose addresses are never the failed recipient.
_SKIP_LINE = LazyPattern(
    r"^[ \t>]*(?:message-id|references|in-reply-to|from|reply-to|return-path|sender|"
    r"received|date|subject|x-[\w-]+)\s*:",
    re.IGNORECASE,
)
_TEMPORARY = LazyPattern(
    r"\b(?:delayed|will (?:continue|be retried|retry|keep trying)|still (?:trying|being retried)|"
    r"temporar(?:y|ily) (?:failure|error|unavailable|problem)|not yet been delivered|"
    r"warning: message|retry (?:time|again))\b",
    re.IGNORECASE,
)
# A warning that delivery is late, not a failure yet.
_DELAY_NOTICE = LazyPattern(
    r"has been delayed|\(delay\)|warning message only|delivery (?:is )?delayed|"
    r"will (?:continue|keep) trying|will continue to try|has been postponed|"
    r"still being retried|not yet been delivered|"
    r"message is delayed|only a temporary failure report",
    re.IGNORECASE,
)
_PERMANENT_WORDS = LazyPattern(
    r"\b(?:permanent(?:ly)?|fatal|given up|giving up|gave up|could not be delivered|"
    r"undeliverable|failed|rejected|does not exist|unknown)\b",
    re.IGNORECASE,
)
# _TEMPORARY, _DELAY_NOTICE and _PERMANENT_WORDS are alternations of many
# phrases with no anchor: a case-insensitive search tries every branch at
# every position (~3-5 us on a 50-character subject or diagnostic, ~1-2 us
# with the word test first), so they take the word test even on short texts
# (found_in(text, _WORDS_FIRST); the answer is the same).
_WORDS_FIRST = 0


class TextLayout:
    """Where one MTA's text puts the failed recipients and their reasons.

    A plain class, built once per format at import and never changed (it was
    a frozen dataclass: the parse path no longer imports `dataclasses`, ~10
    ms at every start, and each definition cost ~1 ms more).
    """

    def __init__(
        self,
        start: LazyPattern | None = None,
        end: LazyPattern | None = None,
        recipient: LazyPattern | None = None,
        use_failed_header: bool = True,
        temporary: LazyPattern | None = None,
        default_class: str = "5",
        strip_lines: tuple[LazyPattern, ...] = (),
        line_lead: bool = True,
        whole_line: bool = False,
        whole_segment: bool = False,
    ) -> None:
        self.start = start  # the list of failures begins after this
        self.end = end  # ... and ends here (besides the original markers)
        self.recipient = recipient  # a line naming one recipient: group(1) is the address
        self.use_failed_header = use_failed_header  # trust X-Failed-Recipients when present
        self.temporary = temporary  # this MTA's words for "not final yet"
        self.default_class = default_class  # class of an unexplained failure in this format
        self.strip_lines = strip_lines  # boilerplate lines
        self.line_lead = line_lead  # words before the address on its line may be the reason
        self.whole_line = whole_line  # the explanation is the line naming the recipient
        # The explanation runs to the next recipient, blank lines and all.
        self.whole_segment = whole_segment


GENERIC = TextLayout()


@lru_cache(maxsize=16)
def _original_cuts(text: str, lower: str | None = None) -> tuple[int, int]:
    """(where the returned original's marker starts, where headers pasted
    before it start), each `len(text)` or the first when there is none
    (cached: every format asks). `lower`, when given, is `text.lower()`
    (the view keeps its body text's), sparing the readers' own lowering;
    the answer is the same without it."""
    marker = find_original_marker(text, lower)
    end = marker.start() if marker else len(text)
    # Where lowering kept every position, the head's lower case is a slice.
    head_lower = lower[:end] if lower is not None and len(lower) == len(text) else None
    pasted = pasted_headers_start(text[:end], head_lower)
    return end, pasted if pasted >= 0 else end


def _cut_original(text: str, lower: str | None = None) -> str:
    """The text up to the returned original (`lower` as for _original_cuts)."""
    return text[: _original_cuts(text, lower)[1]]


def _cut_original_after(text: str, start: int, lower: str | None = None) -> str:
    """`_cut_original(text[start:])`, from the whole text's cuts where they tell.

    A format's failure list starts after its own heading; searching that
    rest of the text for the original again cost ~20 us a message. Both
    patterns start at a line start (`^`), and nothing else in them looks
    outside the match, so in the rest they match where they match in the
    whole text after `start`, and at the rest's first character, which
    counts as a line start there. When the whole text's first match lies
    after `start` and none is at the rest's first character, that is the
    rest's first match; otherwise the rest is searched itself.
    tests/unit/parse/test_parse_cut_original_after.py compares the two.
    """
    rest = text[start:]
    marker, pasted = _original_cuts(text, lower)
    if start == 0 or ORIGINAL_MARKERS.match(rest) or (marker < len(text) and marker <= start):
        return _cut_original(rest)
    end = marker - start  # the rest's marker, or its length when there is none
    if _PASTED_HEADERS.match(rest, 0, end) or (pasted < marker and pasted <= start):
        return _cut_original(rest)
    return rest[: pasted - start]


@lru_cache(maxsize=16)
def says_delayed(text: str) -> bool:
    """Whether the notice is a delay warning (cached: every format tried asks about one text)."""
    return _DELAY_NOTICE.found_in(text, _WORDS_FIRST)


# Whether a Subject names a delay, by Subject: an MTA writes the same few
# Subjects on all its notices (the dev corpus: 70 in 235 messages), and the
# word tests and search cost ~1 us each time. Bounded; past it, start over.
_DELAYED_SUBJECTS: dict[str, bool] = {}
_MAX_SUBJECTS = 1024


def subject_says_delayed(subject: str) -> bool:
    """`_DELAY_NOTICE.found_in(subject, _WORDS_FIRST)`, remembered by Subject.

    tests/unit/parse/test_parse_sb_s9_shortcuts.py compares the two."""
    known = _DELAYED_SUBJECTS.get(subject)
    if known is None:
        known = _DELAY_NOTICE.found_in(subject, _WORDS_FIRST)
        if len(_DELAYED_SUBJECTS) >= _MAX_SUBJECTS:
            _DELAYED_SUBJECTS.clear()
        _DELAYED_SUBJECTS[subject] = known
    return known


def failure_text(view: MessageView, layout: TextLayout) -> str:
    """The part of the human-readable text that lists the failures."""
    text = view.body_text
    lower = view.body_text_lower
    if layout.start is not None:
        m = layout.start.gated_search(text, lower)
        if m is None:
            return ""
        text = _cut_original_after(text, m.end(), lower)
    else:
        text = _cut_original(text, lower)
    if layout.end is not None:
        m = layout.end.gated_search(text)
        if m:
            text = text[: m.start()]
    return text


def notice_text(view: MessageView, limit: int = 2000) -> str:
    """The notice's own words, unfolded, up to where the returned original starts.

    For recipients found without a paragraph of their own (the last-resort
    detectors): the admin still reads what the server said about them.
    """
    return _collapse(failure_text(view, GENERIC))[:limit]


def _own_addresses(view: MessageView) -> set[str]:
    own: set[str] = set()
    for name in ("from", "to", "return-path", "reply-to", "sender", "delivered-to"):
        own.update(a.lower() for a in find_addresses(view.header(name)))
    return own


def read_text_bounce(view: MessageView, layout: TextLayout = GENERIC) -> list[RecipientStatus]:
    text = failure_text(view, layout)
    if not text.strip():
        return []
    positions: list[tuple[int, int, str]] = []  # (start, end, address)
    if layout.recipient is not None and layout.recipient.may_match(text):
        for m in layout.recipient.finditer(text):
            group = next((g for g in m.groups() if g), "")
            found = ADDRESS.search(group)
            if found:
                positions.append((m.start(), m.end(), found.group(1)))
    # X-Failed-Recipients is read only when the layout found no recipient line.
    failed_header = (
        find_addresses(view.header("x-failed-recipients"))
        if not positions and layout.use_failed_header
        else []
    )
    if failed_header:
        lower = text.lower()
        for addr in failed_header:
            i = lower.find(addr.lower())
            positions.append((i, i + len(addr), addr) if i >= 0 else (-1, -1, addr))
    if not positions and layout.recipient is None:
        positions = _mentioned_addresses(view, text)
    # One entry per address, at its first mention.
    seen: set[str] = set()
    firsts: list[tuple[int, int, str]] = []
    for pos in sorted(positions, key=lambda p: p[0]):
        key = pos[2].lower()
        if key not in seen:
            seen.add(key)
            firsts.append(pos)
    located = [p for p in firsts if p[0] >= 0]
    # A layout with no heading and no end reads GENERIC's text: the same string.
    notice = text if layout.start is None and layout.end is None else failure_text(view, GENERIC)
    delayed = subject_says_delayed(view.subject) or says_delayed(notice)
    explained: list[tuple[str, str]] = []
    listed_with_next: list[bool] = []  # nothing but blanks between it and the next address
    for start, end, addr in firsts:
        listed = False
        if start < 0:
            explanation = _collapse(text)
        else:
            following = [p[0] for p in located if p[0] > start]
            stop = min(following) if following else len(text)
            segment = text[end:stop]
            # Nothing but blanks and the brackets or commas of a list between
            # this address and the next: listed together.
            listed = bool(following) and not layout.whole_line and not segment.strip(_LIST_MARKS)
            if following and not listed:
                segment = text[end : _own_text_end(text, end, stop)]
            if layout.whole_line:
                line_start = text.rfind("\n", 0, start) + 1
                segment = text[line_start : _wrapped_line_end(text, line_start, end, stop)]
            for pattern in layout.strip_lines:
                segment = pattern.sub("", segment)
            if listed:
                explanation = ""
            elif layout.whole_segment or layout.whole_line:
                explanation = _collapse(segment.lstrip(">:,. \t"))
            else:
                explanation = _explanation(segment)
            if layout.line_lead and not layout.whole_line:
                explanation = _with_line_lead(text, start, end, explanation, above=not listed)
        explained.append((addr, explanation))
        listed_with_next.append(listed)
    # Addresses listed one under another with nothing between them share
    # the explanation that follows the list (Gmail's "Delivery to the
    # following recipients failed permanently:" over one "Technical details").
    for i in range(len(explained) - 2, -1, -1):
        if listed_with_next[i] and not explained[i][1]:
            explained[i] = (explained[i][0], explained[i + 1][1])
    out: list[RecipientStatus] = []
    for addr, explanation in explained:
        r = recipient_from_text(addr, explanation, layout)
        # A delay notice delays every recipient whose own text shows no
        # permanent (5xx) answer; the class of a status we made up follows.
        if delayed and not (r.reply_code[:1] == "5" or find_status(r.diagnostic)[:1] == "5"):
            r.action = "delayed"
            r.status = "4" + r.status[1:]
        out.append(r)
    return out


def _own_text_end(text: str, end: int, stop: int) -> int:
    """Where the text about the address ending at `end` ends, the next one starting at `stop`.

    The next recipient's line is the next recipient's, from its first
    character: what stands before that address ("554 <", "Sorry your message
    to", a list's dash) opens its explanation, never closes this one's
    (Sendmail's "554 <a@b>... Host unknown" over "554 <c@d>... User
    unknown" gave the first "... Host unknown 554 <"). On the same line the
    text runs to the address itself, as it does to an address a sentence
    names far along a line (a help-desk address in a wrapped reply: the
    line is no recipient's line) and to an alias's original address noted
    under it ("(expanded from: <b@c>)"): that note is this recipient's.
    A line ending in a colon right above the next recipient's line is that
    one's heading (Sendmail's "While talking to mx.example.org:" over
    ">>> RCPT To:<c@d>"), when it is not this address's own line.
    """
    line_start = text.rfind("\n", end, stop) + 1
    if (
        line_start == 0
        or len(text[line_start:stop].split()) > _ADDRESS_LINE_LEAD_WORDS
        or text[max(end, stop - 40) : stop].rstrip(" \t\r\n<:").lower().endswith("(expanded from")
    ):
        return stop
    above = text.rfind("\n", end, line_start - 1) + 1
    if above > 0 and text[above : line_start - 1].rstrip().endswith(":"):
        return above
    return line_start


# At most this many words stand before the address on a line that names a
# recipient ("554 <", "Sorry your message to", "- ", "RCPT TO:").
_ADDRESS_LINE_LEAD_WORDS = 4


def _wrapped_line_end(text: str, line_start: int, pos: int, stop: int) -> int:
    """Where the line holding `pos` ends, with the lines that continue it.

    A long line wrapped at ~78 columns (as Sendmail and Exchange wrap) goes
    on in lines indented deeper than it; those belong to it, up to `stop`
    (the next recipient). A line at the same indentation or less is the
    next line of the notice.
    """
    line = text[line_start:pos]
    indent = len(line) - len(line.lstrip(" \t"))
    end = text.find("\n", pos)
    while 0 <= end < stop:
        nxt = text.find("\n", end + 1)
        following = text[end + 1 : nxt if nxt >= 0 else len(text)]
        body = following.lstrip(" \t")
        if not body or len(following) - len(body) <= indent or nxt > stop >= 0:
            break
        end = nxt
    return end if end >= 0 else len(text)


def _mentioned_addresses(view: MessageView, text: str) -> list[tuple[int, int, str]]:
    """Addresses the text names, best candidates first.

    The bounce's own From/To (our return path) and daemon addresses are
    rarely the failed recipient; they are used only when nothing else is
    named (a bounce to postmaster@ is possible, and anonymised samples
    reuse one address for everything).
    """
    own = _own_addresses(view)
    preferred: list[tuple[int, int, str]] = []
    others: list[tuple[int, int, str]] = []
    for m in ADDRESS.finditer(text):
        addr = m.group(1).strip(".")
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _SKIP_LINE.match(text, line_start) or _SENDER_LEAD.found_in(
            text[line_start : m.start()]
        ):
            continue
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if (
            is_system_address(addr)
            or addr.lower() in own
            or _CONTACT_LINE.search(line)
            or _ORIGINAL_ENVELOPE_LINE.match(line)
        ):
            others.append((m.start(), m.end(), addr))
        else:
            preferred.append((m.start(), m.end(), addr))
    return preferred or others[:1]


_LEAD_NOISE = LazyPattern(r"^[\s>*#:;,.<(\[-]*(?:to|rcpt to|recipient|address)?[\s:<]*$", re.I)


def _with_line_lead(
    text: str, start: int, end: int, explanation: str, *, above: bool = True
) -> str:
    """Put back the words before the address when they are the message.

    "Unable to deliver message to <a@b> (and other recipients ...)",
    "User mailbox exceeds allowed size: a@b": the reason is on the address's
    line, before it. When the address stands alone and nothing follows it,
    the line above it is the reason (Lotus Notes puts it there), unless
    `above` is False: an address listed over the next one shares that one's
    explanation instead (the line above it is the list's heading, wrapped).
    """
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start]
    if not _LEAD_NOISE.match(lead) and len(lead.split()) >= 2:
        line_end = text.find("\n", end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        tail = explanation
        rest_of_line = _collapse(line[end - line_start :]).lstrip(">:,. \t")
        if rest_of_line and tail.startswith(rest_of_line):
            tail = tail[len(rest_of_line) :].strip()
        return _collapse(line + "\n" + tail)
    if above and not explanation and line_start > 0:
        rest = text[: line_start - 1].rstrip("\n")
        above_line = rest.rsplit("\n", 1)[-1]
        # Recipients listed above this one share the line above the list.
        while _ADDRESS_ALONE.match(above_line) and "\n" in rest:
            rest = rest.rsplit("\n", 1)[0].rstrip()
            above_line = rest.rsplit("\n", 1)[-1]
        if (
            above_line.strip()
            and not _SEPARATOR.match(above_line)
            and not _LIST_HEADING.search(above_line)
            and not _ADDRESS_ALONE.match(above_line)
        ):
            return _collapse(above_line)
    return explanation


# "Delivery to the following recipients failed permanently:": the heading of
# the list the address is in, which says nothing about why.
_LIST_HEADING = LazyPattern(r"\bfollowing\b.*:\s*$", re.IGNORECASE)


_LIST_MARKS = " \t\r\n<>,;:"

# A line that holds one address and nothing else: a recipient listed above
# this one, never its reason.
_ADDRESS_ALONE = LazyPattern(r"^[ \t]*<?[^\s<>@]+@[^\s<>]+>?[ \t]*$")

_BLANK_LINE = LazyPattern(r"\n[ \t]*\n")


def _explanation(segment: str) -> str:
    """The address's own paragraph, plus the next one when the address stood alone."""
    segment = segment.lstrip(">:,. \t")
    paras = [p for p in _BLANK_LINE.split(segment) if p.strip()]
    if not paras:
        return ""
    first = _collapse(paras[0])  # the answer, unless it is too short to say anything
    if len(paras) > 1 and len(first.split()) < 3:
        return _collapse(paras[0] + "\n" + paras[1])
    return first


_SEPARATOR = LazyPattern(r"^[\s=*#~_+-]*$")
# What a separator line holds besides blanks (\s is str.isspace, what strip() takes off).
_SEPARATOR_MARKS = frozenset("=*#~_+-")


def _collapse(text: str) -> str:
    """Lines joined with single spaces; separator lines (==== or ----) dropped.

    A line whose first non-blank character is no separator mark is no
    separator: only the others are matched against _SEPARATOR (most lines
    start with a letter). tests/unit/parse/test_parse_collapse.py compares
    it with matching every line.
    """
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and (stripped[0] not in _SEPARATOR_MARKS or not _SEPARATOR.match(line)):
            kept.append(stripped)
    return " ".join(kept)[:2000]


def recipient_from_text(
    address: str, explanation: str, layout: TextLayout = GENERIC
) -> RecipientStatus:
    explanation = clean_diagnostic(explanation)
    status = find_status(explanation)
    reply = find_reply_code(explanation) or find_answered_reply_code(explanation)
    temporary = layout.temporary or _TEMPORARY
    if status:
        klass = status[0]
    elif reply:
        klass = reply[0]
    elif temporary.found_in(explanation, _WORDS_FIRST) and not _PERMANENT_WORDS.found_in(
        explanation, _WORDS_FIRST
    ):
        klass = "4"
    else:
        klass = layout.default_class
    if not status:
        status = f"{klass}.0.0"
    action = "failed"
    return RecipientStatus(
        address=address,
        action=action,
        status=status,
        reply_code=reply,
        diagnostic=explanation,
        smtp_command=find_smtp_command(explanation),
    )
