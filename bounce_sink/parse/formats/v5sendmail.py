"""Sendmail V5 (and other pre-DSN Sendmails).

No delivery-status part: "----- Transcript of session follows -----" holds
one "554 <addr>... reason" summary line per recipient, with the remote
server's own answer ("<<< 501 ...") and the command it answered (">>> MAIL
From:") above it when sendmail talked to another host. The transcript
reader pairs those with each summary; the plain line reader is the fallback
for transcripts it cannot split.

A "Return receipt" (NOTIFY=SUCCESS answered by Sendmail itself) lists its
addresses under "The following addresses had successful delivery
notifications", each with a note ("(relayed to non-DSN-aware mailer)"):
those recipients were delivered or relayed, never failed.
"""

from __future__ import annotations

from collections.abc import Mapping

from bounce_sink.parse.formats.layout_format import LayoutFormat, rx
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.text_bounce import TextLayout, recipient_from_text
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.sendmail_transcript import transcript_entries

_LINES = LayoutFormat(
    name="v5sendmail",
    subject=rx(r"^(?:returned mail: |return receipt\b)"),
    from_=rx(r"mail delivery subsystem"),
    require_all=True,
    layout=TextLayout(
        start=rx(r"^\s*-+\s*transcript of session follows\s*-+"),
        recipient=rx(r"^\d{3}\s+(<[^>\s]+@[^>\s]+>)\.\.\."),
        whole_line=True,
    ),
)


# Compiled on first use, and searched only in a text that holds the
# heading's words (few do: a multi-line search of the whole text otherwise).
_SUCCESS_HEADING = LazyPattern(
    r"(?im)^[ \t]*-+\s*the following addresses had successful delivery notifications\s*-+[ \t]*$"
)
_SUCCESS_LINE = LazyPattern(r"^\s*<([^\s<>@]+@[^\s<>]+)>\s*(.*)$")


def _successes(text: str, lower: str | None = None) -> list[RecipientStatus]:
    """The recipients listed under Sendmail's success heading, relayed or delivered.

    `lower`, when given, is `text.lower()` (the view keeps its body text's).
    """
    m = _SUCCESS_HEADING.gated_search(text, lower)
    if not m:
        return []
    out = []
    for line in text[m.end() :].lstrip("\r\n").splitlines():
        found = _SUCCESS_LINE.match(line)
        if not found:
            break
        note = found.group(2).strip()
        action = "relayed" if "relayed" in note.lower() else "delivered"
        out.append(RecipientStatus(found.group(1), action, "2.0.0", diagnostic=note))
    return out


class V5Sendmail:
    name = "v5sendmail"
    gate = _LINES.gate

    def matches(self, headers: Mapping[str, str]) -> bool:
        return _LINES.matches(headers)

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        entries = transcript_entries(view.body_text)
        successes = _successes(view.body_text, view.body_text_lower)
        if not entries:
            return _LINES.parse(view) or successes or None
        out: list[RecipientStatus] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.address.lower() in seen:
                continue
            seen.add(entry.address.lower())
            r = recipient_from_text(entry.address, entry.diagnostic, _LINES.layout)
            r.smtp_command = entry.command or r.smtp_command
            r.remote_mta = entry.remote_host
            out.append(r)
        out.extend(r for r in successes if r.address.lower() not in seen)
        return out


V5SENDMAIL = V5Sendmail()
