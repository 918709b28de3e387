"""Reply codes (RFC 5321) and enhanced status codes (RFC 3463) found in free text.

Remote servers put them at the start of their answer ("550 5.1.1 <x>: no such
user"), MTAs wrap that answer in their own prose, and some servers write only
one of the two. These readers pick the codes out of the text the remote
server returned without guessing anything the text does not say.
"""

from __future__ import annotations

import re

from bounce_sink.parse.prose import has_case_twin

# The members of the address family (x.1.y) that say the destination
# address itself is bad, as subject and detail: x.1.1 "bad destination
# mailbox address" (RFC 3463), and x.1.10, which Microsoft's servers send
# for a recipient their directory does not have ("550 5.1.10
# RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address
# lookup", Exchange Online's NDR reference) and RFC 7505 registers for a
# recipient domain that takes no mail (null MX): either way no mailbox
# at that address will take the message. x.1.0 ("other address status")
# and the sender's x.1.7/x.1.8 are not among them. One definition for
# every reader that asks whether a status shows a lookup (the classifier's
# user-unknown rule, PowerMTA's bad-mailbox category).
BAD_DESTINATION_DETAILS = frozenset({".1.1", ".1.10"})


def names_bad_destination(status: str) -> bool:
    """Whether an enhanced status says the destination address itself is bad."""
    return status.strip()[1:] in BAD_DESTINATION_DETAILS


# An enhanced status: class 2/4/5, subject 0-7 (allow up to 3 digits, some
# servers send 5.7.509), detail up to 3 digits. Not inside a longer number
# or an IP address. (The test of the character before sits after the class
# digit, not in front of the pattern, so the search can skip ahead to a
# 2, 4 or 5 instead of trying every position.)
_STATUS = re.compile(r"([245])(?<![\d.][245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)")
# A reply code at the start of the text or after the usual lead-ins
# (case-insensitive). What find_reply_code finds; the pattern itself is never
# compiled here (~0.7 ms at every start): tests/unit/parse/test_parse_reply_code.py
# holds find_reply_code to it.
REPLY_LEAD_PATTERN = (
    r"(?:^\s*|said:\s*|said\s+|reply:\s*|response:\s*|responded:\s*|answered:\s*|<<<\s*|server message\s+|"
    r"(?:response|error|reply)[ _]?code\s*:?\s*|[:;(\]\[#]\s*)"
    r"([245]\d\d)(?=[\s\-,;:)\]]|\.(?!\d)|$)"
)
_SMTP_COMMAND = re.compile(
    r"\b(?:in reply to|after|while talking to .{0,80}?[:>]\s*|during|did not like our|"
    r"error following)\s*"
    r"(?:end of data|the\s+|final\s+)?(RCPT TO|MAIL FROM|DATA|HELO|EHLO|RCPT|MAIL|STARTTLS|AUTH|CONN)\b",
    re.IGNORECASE,
)


def find_status(text: str) -> str:
    """The first enhanced status code in the text, or "".

    Searched match by match rather than through `finditer` (an iterator per
    call; nearly every text's first match is the answer): the search from a
    match's end sees the text before it, as `finditer`'s next step does.
    """
    m = _STATUS.search(text)
    while m is not None:
        klass, subject, detail = m.groups()
        if (
            len(subject) == 1
            and "0" <= subject <= "7"
            and detail.isascii()
            and (detail[0] != "0" or len(detail) == 1)
        ):
            # One ASCII digit 0-7 and a number without leading zeros (nearly
            # every status) read back as they are written: the match is the
            # answer, without the int() round trips (~0.5 us a call).
            return m.group()
        if int(subject) <= 7:
            return f"{klass}.{int(subject)}.{int(detail)}"
        m = _STATUS.search(text, m.end())
    return ""


# A reply code that `_REPLY_LEAD` could take, found without its lead: the
# leads hold no digit, so a code never follows a digit.
_CODE = re.compile(r"([245])(?<!\d[245])\d\d(?=[\s\-,;:)\]]|\.(?!\d)|$)")
# The leads that end in a word rather than in ":;([]#" or "<<<" (those that
# end "...:" are all covered by ":"); "said" and "server message" need a
# space after them, "...code" does not.
_WORD_LEAD = re.compile(
    r"(?:said|server message|(?:response|error|reply)[ _]?code)\Z", re.IGNORECASE
)


def find_reply_code(text: str) -> str:
    """The first SMTP reply code the text states, or "".

    What `REPLY_LEAD_PATTERN`'s case-insensitive search of `text[:2000]` finds: a case-insensitive
    alternation tried at every position costs ~9 us a diagnostic, so the
    candidate codes are found first and only the text just before each is
    looked at. Every lead ends in a word, a punctuation mark or "<<<" and
    then whitespace, and holds no digit, so the first code with a lead is
    the one the search finds.
    """
    text = text[:2000]
    for m in _CODE.finditer(text):
        code_at = j = m.start()
        while j and text[j - 1].isspace():
            j -= 1
        if j == 0 or text[j - 1] in ":;([]#" or text[max(0, j - 3) : j] == "<<<":
            return m.group()
        word = _WORD_LEAD.search(text, max(0, j - 16), j)
        if word and (j < code_at or word.group()[-4:].lower() == "code"):
            return m.group()
    return ""


# An SMTP command named, then (within a short stretch without digits) a reply
# code directly followed by an enhanced status of its own class: the server's
# answer to that command ("MAIL+RCPT 550 5.1.1", "DATA closing 554 5.7.1",
# 'Sent "RCPT TO:<x>", got 550 5.1.1'). Command names in capitals, as MTAs
# write them.
_ANSWERED_COMMANDS = ("MAIL", "RCPT", "DATA", "HELO", "EHLO", "LHLO", "STARTTLS", "AUTH")
_ANSWERED_PAIR = re.compile(
    rf"\b(?:{'|'.join(_ANSWERED_COMMANDS)})\b[^\d\n]{{0,60}}?"
    r"(?<![\d.])(?P<code>(?P<klass>[245])\d\d)[ \t]+(?P=klass)\.\d{1,3}\.\d{1,3}(?!\.?\d)"
)


def find_answered_reply_code(text: str) -> str:
    """The reply code of a command's answer quoted behind words no lead of
    `find_reply_code` knows, or "".

    chasquid writes the server's reply after its own stage words, which are
    none of the leads ("MAIL+RCPT 550 5.1.1 ...", "(last: MAIL+RCPT 452
    4.2.2 ...", its LMTP agent's 'Sent "RCPT TO:<x>", got 550 5.1.1 ...').
    A code that follows the command it answers and pairs with a status of
    its class is that reply, not a count or a size; a pair with no command
    before it (Sendmail's own summary of a local mailer's failure) is left
    alone.
    """
    if not any(command in text for command in _ANSWERED_COMMANDS):
        return ""  # nearly every diagnostic names none: not searched
    m = _ANSWERED_PAIR.search(text[:2000])
    return m.group("code") if m else ""


# Every match of _SMTP_COMMAND holds one of these (lower case); most
# diagnostics hold none, and a case-insensitive search tried at every
# position is then a scan for nothing.
_SMTP_COMMAND_LEADS = (
    "after",
    "during",
    "in reply to",
    "while talking to ",
    "did not like our",
    "error following",
)


def find_smtp_command(text: str) -> str:
    """The SMTP command that was answered ("RCPT", "DATA", ...), or "".

    In a text without a case twin of an ASCII letter (`has_case_twin`; any
    ASCII text), lower case is what the case-insensitive pattern compares
    for its leads, position for position, and every match starts with one of
    `_SMTP_COMMAND_LEADS`: a text without any is not searched, and in one
    with some the pattern is matched only where a lead starts, in order
    (the first that matches is what `search` finds; a search tried at every
    position cost ~5 us a diagnostic). `\b` at the start still sees the
    character before: a match at a position looks behind it.
    """
    if text.isascii() or not has_case_twin(text):
        lower = text.lower()
        starts: list[int] = []
        for lead in _SMTP_COMMAND_LEADS:
            if lead not in lower:
                continue  # most: an `in` test parses no arguments, a find does
            at = lower.find(lead)
            while at >= 0:
                starts.append(at)
                at = lower.find(lead, at + 1)
        if not starts:
            return ""
        starts.sort()
        for at in starts:
            m = _SMTP_COMMAND.match(text, at)
            if m:
                break
        else:
            return ""
    else:
        m = _SMTP_COMMAND.search(text)
        if not m:
            return ""
    word = m.group(1).upper()
    return {"RCPT TO": "RCPT", "MAIL FROM": "MAIL", "EHLO": "HELO"}.get(word, word)


# "unknown" is Courier's type for its own words when no server answered
# ("unknown; No such domain.", "unknown; Connection refused").
_TYPE_PREFIX = re.compile(r"\s*(?:smtp|x-[\w.-]+|mail|unix|x400|dns|unknown)\s*;\s*", re.IGNORECASE)


# The types _TYPE_PREFIX names in full, and the characters of an "x-" type's
# name (`[\w.-]`, in ASCII).
_TYPE_WORDS = frozenset({"smtp", "mail", "unix", "x400", "dns", "unknown"})
_X_TYPE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


def strip_type_prefix(text: str) -> str:
    r"""`smtp; 550 ...` -> `550 ...`: the RFC 3464 diagnostic-type is not the server's text.

    No type holds a ";", so a match ends at the text's first one: where what
    stands before it is ASCII, the type is that, stripped (`\s` is what
    strip() takes), and lower case is what the case-insensitive pattern
    compares; a type with any other character is matched by the pattern.
    tests/unit/parse/test_parse_sb_s9_shortcuts.py compares the two.
    """
    head, semicolon, rest = text.partition(";")
    if not semicolon:  # the type ends with one
        return text
    if not head.isascii():
        m = _TYPE_PREFIX.match(text)
        return text[m.end() :] if m else text
    word = head.strip().lower()
    if word in _TYPE_WORDS or (
        word[:2] == "x-" and len(word) > 2 and _X_TYPE_CHARS.issuperset(word)
    ):
        return rest.lstrip()
    return text


def combine(field_status: str, diagnostic: str) -> str:
    """Pick the status to report from the Status field and the diagnostic's own code.

    The code in the remote server's own answer is more precise than the
    reporting MTA's summary in the Status field (which is often a generic
    x.0.0, or a class the MTA chose after giving up), so it wins.
    """
    diag_status = find_status(diagnostic)
    if diag_status.endswith(".0.0") and field_status and not field_status.endswith(".0.0"):
        return field_status  # the field is more specific than the server's generic code
    if diag_status and not diag_status.startswith("2"):
        return diag_status
    return field_status or diag_status


# As in _STATUS, the test of the character before the code follows the code.
_MULTILINE_HEAD = re.compile(r"([245]\d\d)(?<![\w.-][245]\d\d)-(?:([245]\.\d{1,3}\.\d{1,3})\s)?")
_FRAME = re.compile(r"([245]\d\d)(?<!\S[245]\d\d)[- ](?:([245]\.\d{1,3}\.\d{1,3})\s)?")


def clean_diagnostic(text: str) -> str:
    """One line of server text: multi-line reply framing (`550-5.1.1 `) removed.

    A multi-line SMTP reply repeats the code and status on every line; once
    unfolded, those repeats sit in the middle of the sentence. The first one
    stays (it is the answer), the rest are framing.
    """
    text = " ".join(text.split())
    if "-" not in text:  # the framing has one after its code: most answers have none
        return text
    m = _MULTILINE_HEAD.search(text)
    if not m:
        return text
    code, status = m.group(1), m.group(2)

    def drop_frame(f: re.Match[str]) -> str:
        same = f.group(1) == code and (f.group(2) or None) == status
        return "" if same else f.group(0)

    head = text[: m.start()] + (f"{code} {status} " if status else f"{code} ")
    return head + _FRAME.sub(drop_frame, text[m.end() :])
