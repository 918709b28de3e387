"""Reading the human-readable part of a bounce for one recipient.

MTAs explain each failed recipient in a paragraph that starts at (or near)
the address: Postfix `<a@b>: host mx[1.2.3.4] said: 550 ...`, Sendmail
`... <a@b>... User unknown`, Exim `a@b\n    SMTP error from ...`. The
paragraph, unfolded, is the explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

_HEADERISH = re.compile(r"^\s*(?:to|cc|from|reply-to|return-path|delivered-to|x-[\w-]+)\s*:", re.I)
_ADDRESS_LINE = re.compile(r"^\s*<?[^\s<>@]+@[^\s<>]+>?\s*:")
_CODE_LEAD = re.compile(r"^[\s<>]*[245]\d\d[\s-]")
# Where the returned original starts in the text; nothing after it is ours.
ORIGINAL_MARKERS = re.compile(
    r"(?im)^[ \t>-]*(?:"
    r"-+\s*(?:this is a copy of|original message|below this line|the header of the original)|"
    r"-+\s*original message|-+\s*returned message|"
    r"--- below this line is a copy of the message|"
    r"-+\s*the following (?:is|are) the (?:original|message)|"
    r"\s*original message (?:follows|headers?|details)|"
    r"\s*(?:the )?(?:headers|header) of the original message|"
    r"\s*-+\s*(?:unsent|undelivered|returned) message|"
    r"\s*your message reads|"
    r"\s*message headers follow"
    r")"
)


# Every way ORIGINAL_MARKERS can match holds one of these words (lower case),
# on one line. Most texts hold none, or hold them on a few lines only.
_ORIGINAL_MARKER_WORDS = (
    "original",
    "copy of",
    "below this line",
    "returned message",
    "the following",
    "unsent message",
    "undelivered message",
    "your message reads",
    "message headers follow",
)


# How the text of every alternative of ORIGINAL_MARKERS begins after the
# ">", "-" and whitespace it passes over first (lower case), as far as it is
# plain text: "the following" is only a marker as "the following is the
# original" and the like, and most lines with the words say something else.
_PHRASE_STARTS = (
    "this is a copy of",
    "original message",
    "below this line",
    "the header of the original",
    "the headers of the original message",
    "header of the original message",
    "headers of the original message",
    "returned message",
    "the following is the original",
    "the following is the message",
    "the following are the original",
    "the following are the message",
    "unsent message",
    "undelivered message",
    "your message reads",
    "message headers follow",
)
# The phrases of the one alternative that lets dashes stand between the
# whitespace it passes over and its text ("\s*-+\s*(?:unsent|...) message"):
# every other one reaches its text from a line above through whitespace only.
_DASHED_FROM_ABOVE = ("unsent message", "undelivered message", "returned message")
# The filler the pattern passes over before that text, ASCII part: ">", "-"
# and what both its \s and str.isspace take.
_ASCII_FILLER = ">- \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"

# The non-ASCII characters a case-insensitive pattern matches to an ASCII
# letter (KELVIN SIGN, LONG S, DOTLESS I, DOTTED CAPITAL I, which is also
# the one character whose lower case is two); the same set as
# formats.lazy_pattern.ASCII_CASE_TWINS, checked there against every
# code point.
_ASCII_CASE_TWINS = ("\u212a", "\u017f", "\u0131", "\u0130")


def has_case_twin(text: str) -> bool:
    """Whether the text holds one of the letters IGNORECASE matches to an ASCII one.

    A text without one (ASCII or not) holds an ASCII word, up to case,
    exactly where its lower case holds the word's lower case: its lower case
    stands in for a case-insensitive search of ASCII words. (Lowering also
    keeps every position then: only the dotted capital I lowers to two.)
    Four `in` tests: a set's `isdisjoint` would walk the text in Python objects.
    """
    for twin in _ASCII_CASE_TWINS:  # noqa: SIM110 - a loop; any(genexpr) costs more here
        if twin in text:
            return True
    return False


def earliest_name_line(
    lower: str, names: Sequence[str], indent: str, stands: Callable[[int, int], bool]
) -> int:
    """The start of the earliest line where one of `names` stands after only
    `indent` characters and `stands(line_start, name_end)` holds, or -1.

    The quick form of a case-insensitive multi-line search for field lines
    ("Final-Recipient:", pasted "Received:"): most texts that hold such a
    name hold it in a sentence, and the search tried its pattern at every
    line. `lower` is the text's lower case, position for position (the
    callers search otherwise where it is not: `has_case_twin`).
    """
    found = -1
    for name in names:
        at = lower.find(name)
        while at >= 0 and (found < 0 or at < found):
            line_start = lower.rfind("\n", 0, at) + 1
            if not lower[line_start:at].strip(indent) and stands(line_start, at + len(name)):
                found = line_start
                break
            at = lower.find(name, at + len(name))
    return found


def _only_filler(line: str) -> bool:
    """Whether the pattern can pass over all of `line` before its words.

    Before its words the pattern matches only ">", "-" and whitespace (its
    `\\s` is what `str.strip` strips); the words never span a line.
    """
    return not line.replace(">", "").replace("-", "").strip()


def find_original_marker(text: str, lower: str | None = None) -> re.Match[str] | None:
    """`ORIGINAL_MARKERS.search(text)`, tried only at the lines that can start a match.

    A multi-line search with ten case-insensitive alternatives tried at
    every line start costs ~80 us a message. Every match holds one of
    `_ORIGINAL_MARKER_WORDS` on its first line that is not only filler
    (whitespace, ">" and "-"), and starts at that line or at one of the
    filler-only lines right above it. So the lines holding a word are
    visited in order (a find per word), and the pattern is
    matched at those line starts only: the first that matches is the one
    `search` finds.

    The words are looked for in the lower-case text, which keeps every
    position and is what the pattern's case-insensitive matching compares
    unless the text holds one of the four characters that match an ASCII
    letter (the Kelvin sign matches "k"); such a text is searched as before.

    Before the pattern is tried at a line with a word, a whole phrase of an
    alternative must start where the line's filler ends (`_PHRASE_STARTS`):
    in most lines the word is in a sentence ("to the following address") and
    nothing is tried. The filler lines above are tried only when a match
    from there could reach the phrase (`_reachable_from_above`); a failed
    try costs ~3-6 us.

    `lower`, when given, is `text.lower()` (the view keeps it).
    """
    if not text.isascii() and has_case_twin(text):
        return ORIGINAL_MARKERS.search(text)
    if lower is None:
        lower = text.lower()
    # The words the text holds at all (most hold none, or one or two): a word
    # not in the text is in no part of it, and an `in` test parses no
    # arguments, which a find does (each line visited below asked all nine).
    words = [word for word in _ORIGINAL_MARKER_WORDS if word in lower]
    if not words:
        return None
    pos = 0
    while True:
        word_start, word_end = _first_word(lower, pos, words)
        if word_start < 0:
            return None
        line_start = text.rfind("\n", 0, word_start) + 1
        # A match from this line or a filler line above it goes on past the
        # filler to the first other character of this line (at or before the
        # word), and its text starts there: most lines with a word fail here.
        lead = lower[line_start : word_start + 1]
        first = word_start + 1 - len(lead.lstrip(_ASCII_FILLER))
        if lower[first].isspace():
            m = _match_at_or_above(text, line_start)
            if m:
                return m
        elif lower.startswith(_PHRASE_STARTS, first):
            if _reachable_from_above(lower[line_start:first], lower, first):
                m = _match_at_or_above(text, line_start)
            else:
                m = ORIGINAL_MARKERS.match(text, line_start)
            if m:
                return m
        pos = text.find("\n", word_end)
        if pos < 0:
            return None


def _reachable_from_above(lead: str, lower: str, first: int) -> bool:
    """Whether a match that starts on a line above can reach the phrase at `first`.

    Such a match passes this line's `lead` (what stands before the phrase)
    only through whitespace, or for `_DASHED_FROM_ABOVE` through whitespace
    and dashes: a ">" or a dash before another phrase stops it, and only
    the line itself is tried (most markers: "------ This is a copy of ...").
    """
    rest = lead.strip()
    if not rest:
        return True
    return not rest.strip("-") and lower.startswith(_DASHED_FROM_ABOVE, first)


def _first_word(
    lower: str, pos: int, words: Sequence[str] = _ORIGINAL_MARKER_WORDS
) -> tuple[int, int]:
    """(start, end) of the first of `words` (`_ORIGINAL_MARKER_WORDS`, or
    those of them `lower` holds) from `pos` on, or (-1, -1).

    One find per word, each only as far as a word could still start before
    the first found so far: far quicker than a regex for any of them, which
    steps through the text (~10 ns a character). No word starts another,
    so the first is the one such a regex would find.
    """
    start, end = -1, -1
    for word in words:
        at = lower.find(word, pos) if start < 0 else lower.find(word, pos, start + len(word) - 1)
        if at >= 0:
            start, end = at, at + len(word)
    return start, end


def _match_at_or_above(text: str, line_start: int) -> re.Match[str] | None:
    """The first match of ORIGINAL_MARKERS at the filler-only lines right
    above `line_start` (top down) or at that line itself.

    Of a run of whitespace-only lines only the first is tried: from such a
    line the pattern can go on only through a `\\s*` that must take all the
    whitespace up to the next printing character (every alternative goes on
    with one), so every line of the run matches or fails alike, and each try
    walks the whole run (a text with sixty blank lines above "the following"
    cost ~75 us).
    """
    starts = [line_start]
    # Whether each line above (in `starts`, bottom up) is whitespace only.
    blank = [False]
    while starts[-1] > 0:
        above = text.rfind("\n", 0, starts[-1] - 1) + 1
        line = text[above : starts[-1] - 1]
        if not _only_filler(line):
            break
        starts.append(above)
        blank.append(not line.strip())
    for i in range(len(starts) - 1, -1, -1):
        if blank[i] and i + 1 < len(starts) and blank[i + 1]:
            continue  # the blank line above it answered for it
        m = ORIGINAL_MARKERS.match(text, starts[i])
        if m:
            return m
    return None


_TRANSCRIPT = re.compile(r"(?im)^[ \t]*-+\s*transcript of session follows\s*-+[ \t]*$")


def transcript_text(text: str) -> str:
    """Sendmail's "Transcript of session follows" section, unfolded.

    The remote server's last answer is in it ("<<< 550 5.1.1 ..."), which is
    the only diagnostic when the delivery-status carries none.
    """
    m = _TRANSCRIPT.search(text)
    if not m:
        return ""
    rest = text[m.end() :].lstrip("\n")
    end = re.search(r"\n[ \t]*\n|\n[ \t]*-{3,}", rest)
    block = rest[: end.start()] if end else rest
    return " ".join(line.strip() for line in block.splitlines() if line.strip())[:2000]


@lru_cache(maxsize=16)
def _before_original(text: str, lower: str | None) -> tuple[str, str]:
    """The text before the returned original, and its lower-case form.

    Cached: one message asks this for every recipient, and a str's hash is
    computed once, so the lookup costs nothing next to the search. `lower`,
    when given, is `text.lower()`; cut where the text is cut when lowering
    kept every position (it does unless the text holds a dotted capital I).
    """
    cut = find_original_marker(text, lower)
    if lower is None or len(lower) != len(text):
        if cut:
            text = text[: cut.start()]
        return text, text.lower()
    if cut:
        return text[: cut.start()], lower[: cut.start()]
    return text, lower


def explanation_for(text: str, addresses: list[str], lower: str | None = None) -> str:
    """The unfolded paragraph about any of `addresses`, from the address on.

    `lower`, when given, is `text.lower()` (saves lowering the text twice).
    """
    wanted = [a.lower() for a in addresses if a]
    if not wanted or not text:
        return ""
    text, lower = _before_original(text, lower)
    for addr in wanted:
        start = 0
        while True:
            i = lower.find(addr, start)
            if i < 0:
                break
            start = i + len(addr)
            line_start = text.rfind("\n", 0, i) + 1
            line_end = text.find("\n", i)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            if _HEADERISH.match(line):
                continue
            end = text.find("\n\n", i)
            # "554 <a@b>... Service unavailable": the code before the address belongs to it.
            lead = text[line_start:i]
            if _CODE_LEAD.match(lead):
                return " ".join(line.split())[:2000]
            para = text[i : end if end >= 0 else len(text)]
            # "(generated from a@b)" and "<a@b>:" leave their closing marks behind.
            # Then the punctuation after it and the blanks after that (`^[.:,]+\s*`:
            # \s is what strip() takes; a regex `sub` tried every position of a
            # long paragraph for a `^` that holds only at its first).
            rest = para[len(addr) :].lstrip(">)]").lstrip().lstrip(".:,").lstrip()
            kept: list[str] = []
            for n, seg in enumerate(rest.splitlines()):
                # The next recipient's own line ends this one's explanation
                # (one with no "@" is no address line: not matched).
                if n and "@" in seg and _ADDRESS_LINE.match(seg):
                    break
                if seg.strip():
                    kept.append(seg.strip())
            unfolded = " ".join(kept)
            if unfolded:
                return unfolded[:2000]
    return ""
