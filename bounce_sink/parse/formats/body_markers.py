"""Formats named by their MTA's own sentence when the headers named none.

The registry picks a format by its headers, and for most MTAs that means
the Subject: Postfix's "Undelivered Mail Returned to Sender", Exim's "Mail
delivery failed". A relay or a list server that drops the Subject, a
localised or reworded one, or an anonymised sample leaves such a message
to the catch-all, which reads any layout as prose: it took Postfix's
"please contact <support@...>" for a failed recipient and ran one
Sendmail transcript line into the next recipient's. Each MTA below writes
a sentence or heading into its notice that no other writes, as its own documentation and
every sample of it show; when the catch-all would read a message, the
first format whose sentence the text holds reads it instead.

Only messages that reach the catch-all (a daemon sender, a failure
subject, X-Failed-Recipients or a report container) are looked at, so a
reading found here rests on the same header evidence the catch-all needs,
plus the MTA's own words.
"""

from __future__ import annotations

from bounce_sink.parse.formats.base import BounceFormat
from bounce_sink.parse.formats.exchange import EXCHANGE2003, EXCHANGE2007
from bounce_sink.parse.formats.exim import EXIM
from bounce_sink.parse.formats.gmail import GMAIL
from bounce_sink.parse.formats.layout_format import rx
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.formats.lotus_notes import NOTES
from bounce_sink.parse.formats.postfix import POSTFIX
from bounce_sink.parse.formats.qmail import QMAIL
from bounce_sink.parse.formats.v5sendmail import V5SENDMAIL
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

# In this order: Postfix's notices to the postmaster carry a "Transcript of
# session follows" too, which alone would be Sendmail's.
BODY_MARKED: tuple[tuple[LazyPattern, BounceFormat], ...] = (
    (
        rx(r"^this is the (?:mail system|postfix program) at host\b|^[ \t]*in:[ \t]+rcpt to:"),
        POSTFIX,
    ),
    # qmail-send's greeting, or the separator qmail and the MTAs built on it
    # (Yahoo's "Sorry, we were unable to deliver ...") put above the copy.
    (
        rx(
            r"^hi\. this is the qmail-send program at\b|^--- below this line is a copy of the message\."
        ),
        QMAIL,
    ),
    (
        rx(
            r"this message was created automatically by mail delivery software|"
            r"^a message that you sent (?:could not be delivered to one or more of its|"
            r"contained one or more recipient addresses)"
        ),
        EXIM,
    ),
    (
        rx(
            r"^delivery to the following recipients? (?:failed permanently|has been delayed|"
            r"was aborted)"
        ),
        GMAIL,
    ),
    (rx(r"^[ \t]*-+[ \t]*transcript of session follows[ \t]*-+"), V5SENDMAIL),
    # Exchange 2007 and later, in the languages it writes its notices in.
    (
        rx(
            r"^diagnostic information for administrators:|"
            r"^informations de diagnostic pour les administrateurs|"
            r"^diagnoseinformationen für administratoren"
        ),
        EXCHANGE2007,
    ),
    (rx(r"did not reach the following recipient\(s\):"), EXCHANGE2003),
    (rx(r"^-+[ \t]*failure reasons[ \t]*-+[ \t]*$"), NOTES),
)


def read_by_body_marker(view: MessageView) -> tuple[str, list[RecipientStatus]] | None:
    """(format name, recipients) of the first marked format that reads the message."""
    text, lower = view.body_text, view.body_text_lower
    for marker, fmt in BODY_MARKED:
        if marker.gated_search(text, lower) is None:
            continue
        found = fmt.parse(view)
        if found:
            return fmt.name, found
    return None
