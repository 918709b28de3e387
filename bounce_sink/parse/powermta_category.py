"""PowerMTA's own reading of a refusal: ``X-PowerMTA-BounceCategory``.

PowerMTA writes the category its bounce-category patterns gave the remote
reply into each recipient's delivery-status block (``bad-mailbox``,
``quota-issues`` ...; PowerMTA's user guide lists them). The patterns are a
keyword table much like ours, so the category is only a ``reason_hint``:
the classifier reads the server's own words first and falls back to the
hint when no wording rule knows them (engine step 4).

A hint of a hard reason is hard by itself when no wording decides, so the
two categories that name a missing mailbox or domain give their reason only
beside our own evidence of a lookup: the refused RCPT TO or a status that
names a bad destination address (x.1.1 or x.1.10, `names_bad_destination`,
the classifier's own test) for ``bad-mailbox``, x.1.2 for ``bad-domain``. Without it they give no hint;
PowerMTA's keyword match alone never unsubscribes anyone.
"""

from __future__ import annotations

from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.smtp_codes import names_bad_destination

FIELD = "x-powermta-bouncecategory"

# Categories whose meaning is one of our soft reasons. Those PowerMTA leaves
# vague ("other", "bad-configuration", "bad-connection", "content-related",
# "invalid-sender", "protocol-errors", "relaying-issues") give no hint.
_SOFT = {
    "inactive-mailbox": "suspend",  # expired, inactive or disabled recipient
    "message-expired": "expired",  # not delivered before its bounce-after
    "no-answer-from-host": "network_error",
    "policy-related": "policy_violation",
    "quota-issues": "mailbox_full",
    "routing-errors": "system_error",
    "spam-related": "spam_detected",
    "virus-related": "virus_detected",
}


def category_hint(category: str, status: str, command: str) -> str:
    """The reason a bounce category stands for, given the recipient's status and command."""
    name = category.strip().lower()
    detail = status.strip()[1:]
    if name == "bad-mailbox":
        looked_up = command.strip().upper().startswith("RCPT") or names_bad_destination(status)
        return "user_unknown" if looked_up else ""
    if name == "bad-domain":
        return "host_unknown" if detail == ".1.2" else ""
    return _SOFT.get(name, "")


def apply_category(recipient: RecipientStatus, category: str) -> None:
    """Give `recipient` the category's hint, unless a reading of our own is there already."""
    if recipient.reason_hint or not category:
        return
    hint = category_hint(category, recipient.status, recipient.smtp_command)
    if hint:
        recipient.reason_hint = hint
        recipient.hint_source = "powermta"
