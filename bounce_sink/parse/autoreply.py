"""Auto-replies (RFC 3834, out-of-office, vacation): not bounces.

Recognised only after every bounce reader has passed, because bounces carry
the same markers (Postfix puts `Auto-Submitted: auto-replied` on its DSNs).
"""

from __future__ import annotations

import re

from bounce_sink.parse.addresses import find_addresses
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus

# Subject prefixes of out-of-office replies in the languages our mail goes to.
_SUBJECT = re.compile(
    r"^\s*(?:"
    r"auto(?:matic)?[ -]?(?:reply|response|answer)|autoreply|auto-reply|out of (?:the )?office|"
    r"vacation|on vacation|away from (?:my|the) office|abwesenheitsnotiz|automatische antwort|"
    r"r[ée]ponse automatique|absence|respuesta autom[aá]tica|fuera de la oficina|"
    r"risposta automatica|fuori sede|automatisch antwoord|afwezig|automatiskt svar|"
    r"frånvaro|autosvar|automaattinen vastaus|odpowied[zź] automatyczna|"
    r"resposta autom[aá]tica|自動返信|自动回复|不在"
    r")",
    re.IGNORECASE,
)


_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery (?:sub)?system|mail-daemon", re.I)


def is_autoreply(view: MessageView) -> bool:
    if _DAEMON.search(view.from_):
        return False  # a delivery report that no reader understood, not a person's reply
    auto = view.header("auto-submitted").lower()
    if auto.startswith("auto-replied"):
        return True
    if view.header("x-autoreply") or view.header("x-autorespond") or view.header("x-autoresponder"):
        return True
    if view.header("precedence").lower() == "auto_reply":
        return True
    if view.header("x-auto-response-suppress") and _SUBJECT.match(view.subject):
        return True
    return bool(_SUBJECT.match(view.subject))


def replying_recipient(view: MessageView) -> list[RecipientStatus]:
    for candidate in (view.header("from"), view.header("reply-to"), view.header("sender")):
        addrs = find_addresses(candidate)
        if addrs:
            return [RecipientStatus(address=addrs[0], action="")]
    return []
