"""What classification looks at, read once per recipient and normalised.

Rules match one lower-case, single-spaced text. Multi-line SMTP replies
repeat their code on every line (``550-5.7.1 ... 550-5.7.1 ...``); those
prefixes are removed so that a documented sentence is contiguous again.
Codes and the failed SMTP command are kept as separate fields, taken from
the parser when it found them and from the text otherwise.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from bounce_sink.parse.report import RecipientStatus, Report

# The patterns below that look back before a code start with the code's
# first digit and look back from there ("[245](?<!\S[245])", i.e. the digit
# is at the start or after whitespace): a pattern that starts with a
# character set lets the regex engine skip to the candidate digits instead
# of trying the look-behind at every position (~3x faster, same matches).
# "550-5.7.1 ", "550 5.2.1 ", "421-" at the start or after whitespace, in a
# single-spaced, stripped text searched with a space put in front: each
# match takes the space before it and leaves the one after it, so the search
# looks for its first character, a space, at the speed of a character scan
# (a leading character set was tested at every position: ~0.8 us a text).
# Every match is then replaced by a space and the spaces collapsed, which is
# what `r"[245](?<!\S[245])\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s)?"` over the
# text itself gives (a match of that takes the space after it instead).
_CONTINUATION = re.compile(
    r" [245]\d\d(?:-(?:[245]\.\d{1,3}\.\d{1,3}(?= ))?|(?= )(?: [245]\.\d{1,3}\.\d{1,3}(?= ))?)"
)
# A status not inside a longer dotted number.
_STATUS_IN_TEXT = re.compile(r"([245](?<![\d.][245])\.\d{1,3}\.\d{1,3})(?![\d.]*\d)")
# A reply code at the start or after whitespace or one of ":;>([".
_REPLY_IN_TEXT = re.compile(r"([245](?<![^\s:;>(\[][245])[0-5]\d)(?=[\s\-:])")
_STATUS_SHAPE = re.compile(r"[245]\.\d{1,3}\.\d{1,3}\Z")
_COMMAND_IN_TEXT = re.compile(
    r"(?:in reply to|after|did not like our) (?:the )?"
    r"(rcpt to|mail from|data|end of data|helo|ehlo|lhlo|auth|starttls|initial connection)\b"
    r"|>>> (rcpt to|mail from|data|helo|ehlo)\b"
)
# What every match of _COMMAND_IN_TEXT contains one of.
_COMMAND_LEADS = ("in reply to ", "after ", "did not like our ", ">>> ")
_TLDS = "com|net|org|jp|fr|de|ru|cn|io|uk|br|nl|it|es"
_HOST_IN_TEXT = re.compile(
    rf"(?<![@\w.-])((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS}))\b"
)
# How every match of _HOST_IN_TEXT ends.
_TLD_IN_TEXT = re.compile(rf"\.(?:{_TLDS})\b")
# The characters a match of _HOST_IN_TEXT is made of.
_HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-"
_PREFIXES = ("smtp;", "x-postfix;", "x-unix;", "x-notes;", "x-local;", "mailbox;")
_COMMAND_NAMES = {
    "rcpt to": "RCPT",
    "mail from": "MAIL",
    "data": "DATA",
    "end of data": "DATA",
    "helo": "HELO",
    "ehlo": "EHLO",
    "lhlo": "LHLO",
    "auth": "AUTH",
    "starttls": "STARTTLS",
    "initial connection": "CONNECT",
}


def normalise_text(diagnostic: str) -> str:
    """Lower-case, single-spaced, without repeated SMTP code prefixes."""
    return _normalised(_single_spaced(diagnostic.lower()))


def _single_spaced(value: str) -> str:
    """Each run of whitespace made one space, a space kept at either end.

    What ``re.sub(r"\\s+", " ", value)`` gives, ~4x cheaper: `str.split`
    and the regex's ``\\s`` agree on what whitespace is (``str.isspace``).
    """
    core = " ".join(value.split())
    if not core:
        return " " if value else ""
    if value[0].isspace():
        core = " " + core
    if value[-1].isspace():
        core += " "
    return core


def _normalised(lowered: str) -> str:
    """`normalise_text` of a diagnostic already lower-cased and single-spaced."""
    return _normalised_core(lowered.strip())


def _normalised_core(text: str) -> str:
    """`_normalised` of a text already stripped as well."""
    if text.startswith(_PREFIXES):
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :].lstrip()
                break
    cut, replaced = _CONTINUATION.subn(" ", " " + text)
    if not replaced:
        return text  # still single-spaced and stripped: nothing to collapse
    return " ".join(cut.split())


def _hosts_in_text(lowered: str) -> list[str]:
    """Host names in a lower-cased, single-spaced text.

    What ``_HOST_IN_TEXT.findall(lowered)`` gives, with one match attempt
    per top-level domain found instead of one per character. A host is made
    of host characters (`_HOST_CHARS`) only, so each lies in
    one maximal run of them; every host ends in a match of `_TLD_IN_TEXT`
    (those never overlap, so none is missed), so only the runs holding one
    can hold a host. Each run char is in the look-behind's ``[@\\w.-]``, so a
    match can start only where its run starts: the one attempt is a
    ``match`` there (the look-behind still sees the character before, and
    the final ``\\b`` the one after: both lie inside the bounds given).
    Searching every position of each such space-free word instead cost ~25k
    instructions a message (a third of `Evidence.of`: URLs, addresses).
    """
    found: list[str] = []
    end = -1
    for tld in _TLD_IN_TEXT.finditer(lowered):
        at = tld.start()
        if at < end:
            continue  # in the run just tried
        # Where the run starts and ends: what stripping host characters
        # from the text before the dot and after the domain leaves.
        start = len(lowered[:at].rstrip(_HOST_CHARS))
        end = len(lowered) - len(lowered[tld.end() :].lstrip(_HOST_CHARS))
        host = _HOST_IN_TEXT.match(lowered, start, end + 1)
        if host is not None:
            found.append(host.group(1))
    return found


def _command(recipient: RecipientStatus, lowered: str) -> str:
    if recipient.smtp_command:
        word = recipient.smtp_command.strip().upper()
        if word in (".", "BDAT") or "DATA" in word:
            return "DATA"
        if word.startswith("CONN"):
            return "CONNECT"
        return word.split(" ")[0]
    if not any(map(lowered.__contains__, _COMMAND_LEADS)):
        return ""  # most texts name no command: four substring tests, no search
    m = _COMMAND_IN_TEXT.search(lowered)
    if m:
        return _COMMAND_NAMES[m.group(1) or m.group(2)]
    return ""


@functools.lru_cache(maxsize=1024)
def _bare_host(value: str) -> str:
    """The host name of a Remote-MTA or Reporting-MTA value (``dns; mx.example.com``).

    Kept per value, as `recognise.providers_of_host` keeps its answer per
    host: the same few reporting MTAs (the mailbox host's own) and the large
    providers' MX names come back on most bounces; a value is a few method
    calls, a cached one one lookup. A pure function of the string.
    """
    host = value.strip().lower()
    if ";" in host:
        host = host.split(";", 1)[1].strip()
    host = host.split(" ", 1)[0].strip("[]().")
    return host


class Evidence(NamedTuple):
    """Everything a rule may look at for one recipient.

    A named tuple rather than a frozen dataclass: as immutable, but ~1 ms less
    to import and cheaper to build once per recipient.
    """

    text: str  # normalised diagnostic
    status: str  # enhanced status as given, or found in the text, or ""
    reply_code: str  # basic reply code as given, or found in the text, or ""
    action: str
    command: str  # RCPT, MAIL, DATA, HELO, ... or ""
    hosts: tuple[str, ...]  # remote MTA, hosts named in the text, reporting MTA
    domain: str  # the recipient's domain, lower case
    hint: str  # the format module's reading, if any
    heuristic: bool
    hint_source: str = ""  # the format module that read it, when not the report's format

    @classmethod
    def of(cls, recipient: RecipientStatus, report: Report) -> Evidence:
        diagnostic = recipient.diagnostic.lower()
        # Single-spaced and stripped (`_single_spaced` without its edge
        # spaces): the searches below read a text's start and end as they
        # read a space there, but for the reply code's look-ahead, which
        # wants a character after a code that ends the text.
        lowered = " ".join(diagnostic.split())
        status = recipient.status.strip()
        if not _STATUS_SHAPE.match(status):
            m = _STATUS_IN_TEXT.search(lowered)
            status = m.group(1) if m else ""
        reply = recipient.reply_code.strip()
        if not reply:
            m = _REPLY_IN_TEXT.search(lowered + " " if diagnostic[-1:].isspace() else lowered)
            reply = m.group(1) if m else ""
        hosts = [_bare_host(recipient.remote_mta)] if recipient.remote_mta else []
        hosts.extend(_hosts_in_text(lowered))
        for h in (report.reporting_mta, report.received_from_mta):
            if h:
                hosts.append(_bare_host(h))
        address = recipient.address or recipient.final_recipient
        # Positional, in field order, through tuple.__new__: a keyword call of
        # the named tuple's generated __new__ cost ~1 us of ~13 per recipient.
        return _new_tuple(
            cls,
            (
                _normalised_core(lowered),  # text
                status,
                reply,  # reply_code
                recipient.action.strip().lower(),  # action
                _command(recipient, lowered),  # command
                tuple(filter(None, hosts)),  # hosts
                address.rpartition("@")[2].strip().strip(">").lower(),  # domain
                recipient.reason_hint.strip(),  # hint
                recipient.heuristic,  # heuristic
                recipient.hint_source,  # hint_source
            ),
        )


_new_tuple = tuple.__new__
