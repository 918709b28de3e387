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
from bounce_sink.parse.formats.lotus_notes import DOMINO, NOTES
from bounce_sink.parse.formats.postfix import POSTFIX
from bounce_sink.parse.formats.qmail import QMAIL, QMAIL_LIKE
from bounce_sink.parse.formats.v5sendmail import V5SENDMAIL
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus, Report

# Each MTA's words in lower case, looked for in the notice's lowered text (a
# substring test each: no pattern to compile or to list in the words table).
# In this order: Postfix's notices to the postmaster carry a "Transcript of
# session follows" too, which alone would be Sendmail's.
_DOMINO_SENTENCE = ("\nwas not delivered to:\n",)

BODY_MARKED: tuple[tuple[tuple[str, ...], BounceFormat], ...] = (
    (
        (
            "this is the mail system at host",
            "this is the postfix program at host",
            "in:  rcpt to:",  # a session transcript to the postmaster
        ),
        POSTFIX,
    ),
    # qmail-send's greeting, or the separator qmail and the MTAs built on it
    # (Yahoo's "Sorry, we were unable to deliver ...") put above the copy.
    (
        ("hi. this is the qmail-send program at", "--- below this line is a copy of the message."),
        QMAIL,
    ),
    # The qmail-based notices of Yahoo and others ("Message from yahoo.com.
    # Unable to deliver message to the following address(es)." over
    # "<addr>:" lines), read as qmail's.
    (("unable to deliver message to the following address(es).",), QMAIL_LIKE),
    (
        (
            "this message was created automatically by mail delivery software",
            "a message that you sent could not be delivered to one or more of its",
            "a message that you sent contained one or more recipient addresses",
        ),
        EXIM,
    ),
    (
        (
            "delivery to the following recipient failed permanently",
            "delivery to the following recipients failed permanently",
            "delivery to the following recipient has been delayed",
            "delivery to the following recipients has been delayed",
            "delivery to the following recipient was aborted",
            "delivery to the following recipients was aborted",
        ),
        GMAIL,
    ),
    (("----- transcript of session follows -----",), V5SENDMAIL),
    # Exchange 2007 and later, in the languages it writes its notices in.
    (
        (
            "diagnostic information for administrators:",
            "informations de diagnostic pour les administrateurs",
            "diagnoseinformationen für administratoren",
        ),
        EXCHANGE2007,
    ),
    (("did not reach the following recipient(s):",), EXCHANGE2003),
    (("- failure reasons ",), NOTES),
    # Domino's notice: "Your message / Subject: ... / was not delivered to: /
    # <addr> / because: / <reason>", the sentence on a line of its own (other
    # MTAs write "Your message was not delivered to:" on one line).
    (_DOMINO_SENTENCE, DOMINO),
)

# The formats that name reasons in an RFC 3464 report (a `refine`) by their
# MTA's sentence in the report's text part, when no header named them.
BODY_MARKED_REFINERS: tuple[tuple[tuple[str, ...], BounceFormat], ...] = (
    (_DOMINO_SENTENCE, DOMINO),
)


def read_by_body_marker(view: MessageView) -> tuple[str, list[RecipientStatus]] | None:
    """(format name, recipients) of the first marked format that reads the message."""
    lower = view.body_text_lower
    for words, fmt in BODY_MARKED:
        if not any(word in lower for word in words):
            continue
        found = fmt.parse(view)
        if found:
            return fmt.name, found
    return None


def refine_by_body_marker(report: Report, view: MessageView) -> None:
    """Let the format whose MTA's sentence the text holds name reasons in `report`.

    Domino sends an RFC 3464 report whose status is a bare 5.0.0 and whose
    reason is Domino's own sentence ("not listed in the Domino Directory"):
    its reader knows those words, but the registry asks it only when the
    Subject is Domino's ("DELIVERY FAILURE: ..."). Without that Subject the
    same report read softer.
    """
    lower = view.body_text_lower
    for words, fmt in BODY_MARKED_REFINERS:
        refine = getattr(fmt, "refine", None)
        if refine is not None and any(word in lower for word in words):
            refine(report, view)
