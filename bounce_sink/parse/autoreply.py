"""Auto-replies (RFC 3834, out-of-office, vacation): not bounces.

Recognised only after every bounce reader has passed, because bounces carry
the same markers (Postfix puts `Auto-Submitted: auto-replied` on its DSNs).
System mail (from root or a mailer daemon, sudo's security notices) is
never a person's auto-reply, whatever its headers say.
"""

from __future__ import annotations

import re

from bounce_sink.parse.addresses import find_addresses
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

# Compiled on first use (LazyPattern): the pipeline imports this module with
# itself, and most messages are read before they get here.
# Subject prefixes of out-of-office replies in the languages our mail goes to.
_SUBJECT = LazyPattern(
    r"^\s*(?:"
    r"auto:|auto(?:matic)?[ -]?(?:reply|response|answer)|autoreply|auto-reply|"
    r"out of (?:the )?office|vacation|on vacation|away from (?:my|the) office|"
    r"abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|absence|"
    r"respuesta autom[aá]tica|fuera de la oficina|risposta automatica|fuori sede|"
    r"automatisch antwoord|afwezig|automatiskt svar|frånvaro|autosvar|"
    r"automaattinen vastaus|odpowied[zź] automatyczna|resposta autom[aá]tica|"
    r"自動返信|自動応答|自动回复|不在"
    r")",
    re.IGNORECASE,
)
_AUTO_SUBMITTED = LazyPattern(r"^auto-(?:replied|generated|notified)", re.IGNORECASE)
_SUPPRESS = LazyPattern(r"\b(?:OOF|AutoReply)\b", re.IGNORECASE)
_SYSTEM_FROM = LazyPattern(
    r"mailer-daemon|postmaster|mail delivery (?:sub)?system|mail-daemon|\broot@", re.I
)
_SYSTEM_SUBJECT = LazyPattern(r"security information for|^mail failure -", re.I)


def is_autoreply(view: MessageView) -> bool:
    if _SYSTEM_FROM.search(view.from_) or _SYSTEM_SUBJECT.search(view.subject):
        return False  # a delivery report no reader understood, or system mail
    if _AUTO_SUBMITTED.match(view.header("auto-submitted")):
        return True
    if view.header("x-autoreply") or view.header("x-autorespond") or view.header("x-autoresponder"):
        return True
    if view.header("precedence").lower() == "auto_reply":
        return True
    if _SUPPRESS.search(view.header("x-auto-response-suppress")):
        return True
    return bool(_SUBJECT.match(view.subject))


def replying_recipient(view: MessageView) -> list[RecipientStatus]:
    """The person who replied, with the first lines of the reply as its text."""
    lines = [ln.strip() for ln in view.body_text.splitlines() if ln.strip()][:5]
    text = " ".join(lines)[:1000] or view.subject
    for candidate in (view.header("from"), view.header("reply-to"), view.header("return-path")):
        addrs = find_addresses(candidate)
        if addrs:
            return [RecipientStatus(address=addrs[0], action="", diagnostic=text)]
    return []
