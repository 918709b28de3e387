"""Sendmail's "Transcript of session follows", read recipient by recipient.

Sendmail writes what happened to each recipient as a small block that ends
with its own one-line summary for the address::

    ... while talking to mx.example.org.:       <- the host that answered
    >>> RCPT To:<a@example.org>                  <- the command sendmail sent
    <<< 550 5.1.1 <a@example.org>... User unknown  <- the remote server's words
    550 5.1.1 <a@example.org>... User unknown    <- sendmail's summary line

or, for local delivery, the local mailer's own output above the summary::

    mail.local: unknown user: kijitora
    554 <kijitora@example.net>... Service unavailable

The summary alone often hides the cause ("Service unavailable", "Remote
protocol error"); the lines above it name it. The command is reported only
when the transcript shows it was the one answered: with pipelining sendmail
prints ">>> DATA" above the replies to RCPT, so DATA is never trusted, and
a RCPT counts only when it names this recipient.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TRANSCRIPT_START = re.compile(r"(?im)^[ \t]*-+\s*transcript of session follows\s*-+[ \t]*$")
_TALKING_TO = re.compile(r"^(?:\.\.\.\s*)?while talking to\s+\[?([^\s:\]]+)\]?\.?\s*:", re.I)
_SENT = re.compile(r"^>>>\s*(\S*)")  # ">>> RCPT To:<a@b>", ">>> ." (end of data)
# "550 5.1.1 <a@b>... text", "554 a@b... text": one summary line per address.
_SUMMARY = re.compile(
    r"^([245]\d\d)[ -](?:[245]\.\d{1,3}\.\d{1,3}\s+)?<?([^\s<>@]+@[^\s<>]+?)>?\.\.\.\s*(.*)$"
)
_RCPT_TO = re.compile(r"^>>>\s*RCPT\s+TO:\s*<([^\s<>@]+@[^\s<>]+)>", re.I)
_MAX_LINES = 400
# The lines read are stripped, one line each: a separator ("^\s*-{3,}") is a
# line that starts with "---", the server's answer ("^<<<\s*(.*)$") one that
# starts with "<<<", and a code line is `_is_code_line`'s (str tests, not
# three more patterns to compile at every start).


def _is_code_line(line: str) -> bool:
    r"""Whether `^[245]\d\d[ -]` matches the line (`\d` is what `isdecimal` takes).

    tests/unit/parse/test_parse_sb_s9_shortcuts.py compares the two."""
    return (
        len(line) > 3
        and line[0] in "245"
        and line[1].isdecimal()
        and line[2].isdecimal()
        and line[3] in " -"
    )


class TranscriptEntry:
    """What the transcript says about one recipient.

    (A plain class: the parse path does not import `dataclasses`; see report.py.)
    """

    def __init__(
        self,
        address: str,
        summary: str,
        remote_reply: str = "",
        local_lines: list[str] | None = None,
        command: str = "",
        remote_host: str = "",
    ) -> None:
        self.address = address
        self.summary = summary  # sendmail's own line for the address
        self.remote_reply = remote_reply  # the remote server's answer ("<<<" lines), if any
        self.local_lines: list[str] = [] if local_lines is None else local_lines  # a local mailer's
        self.command = command  # the command answered, only when the transcript shows it
        self.remote_host = remote_host  # from "while talking to <host>:"

    @property
    def diagnostic(self) -> str:
        """The remote server's words when it spoke, else the local output and the summary."""
        if self.remote_reply:
            return self.remote_reply
        return " ".join([*self.local_lines, self.summary])


@lru_cache(maxsize=16)
def transcript_entries(text: str) -> tuple[TranscriptEntry, ...]:
    """One entry per summary line of the transcript, in order; () without a transcript.

    Cached: an RFC 3464 report asks once per recipient about the same text.
    """
    m = _TRANSCRIPT_START.search(text)
    if not m:
        return ()
    entries: list[TranscriptEntry] = []
    host = ""
    sent = ""  # the last ">>>" line
    replies: list[str] = []
    local: list[str] = []
    seen_content = False
    for raw in text[m.end() :].lstrip("\r\n").splitlines()[:_MAX_LINES]:
        line = raw.strip()
        if not line:
            if seen_content:
                break
            continue
        if line.startswith("---"):
            break
        seen_content = True
        talking = _TALKING_TO.match(line)
        if talking:
            host, sent, replies, local = talking.group(1).rstrip("."), "", [], []
            continue
        if _SENT.match(line):
            sent, replies = line, []
            continue
        if line.startswith("<<<"):
            reply = line[3:].strip()
            if reply[:1] not in ("2", "3"):  # "250 ok", "354 go ahead" are not the failure
                replies.append(reply)
            continue
        summary = _SUMMARY.match(line)
        if summary:
            address = summary.group(2)
            entries.append(
                TranscriptEntry(
                    address=address,
                    summary=line,
                    remote_reply=" ".join(replies),
                    local_lines=local,
                    command=_answered_command(sent, address) if replies else "",
                    remote_host=host if replies else "",
                )
            )
            sent, replies, local = "", [], []
            continue
        rcpt = _RCPT_TO.match(sent) if replies else None
        if rcpt and _is_code_line(line):
            # Sendmail 8 sums up some refusals of RCPT without the address
            # ("554 5.0.0 Service unavailable" under a 552 or 554): the
            # RCPT just answered names the recipient.
            entries.append(
                TranscriptEntry(rcpt.group(1), line, " ".join(replies), local, "RCPT", host)
            )
            sent, replies, local = "", [], []
            continue
        if not _is_code_line(line):
            local.append(line)
    return tuple(entries)


def _answered_command(sent: str, address: str) -> str:
    m = _SENT.match(sent)
    if not m:
        return ""
    word = m.group(1).upper()
    if word in ("MAIL", "HELO", "EHLO"):
        return "HELO" if word == "EHLO" else word
    if word == "RCPT" and address.lower() in sent.lower():
        return "RCPT"
    return ""


def entry_for(entries: tuple[TranscriptEntry, ...], addresses: list[str]) -> TranscriptEntry | None:
    """The entry about any of `addresses` (case-insensitive), if the transcript has one."""
    wanted = {a.lower() for a in addresses if a}
    return next((e for e in entries if e.address.lower() in wanted), None)
