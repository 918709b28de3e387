"""What the labs' scripted receiving server answers: the refusals every MTA lab meets.

Every lab relays its newsletters to ``servers.ScriptedReceiver``, which
refuses each recipient with one of these replies, so the same refusal reads
the same in every MTA's bounce and the labs' tables can be compared.  The
texts are documented ones: Postfix's own reject wording, Gmail's account
replies (with the session id Gmail appends in one variant), Spamhaus' DNSBL
refusal, a content filter's 554 after DATA, Gmail's multi-line unknown
account, a size limit, a refused envelope sender, a refusal at the greeting.
A reply only one lab uses (Sendmail's own size wording, Dovecot's LMTP
refusal) stays in that lab.
"""

from __future__ import annotations

from mta_lab.newsletter import RETURN_PATH


def recipient_rejected(address: str, why: str = "User unknown") -> str:
    """Postfix's 550 5.1.1 for an address it does not know (``why`` names the lookup)."""
    return f"550 5.1.1 <{address}>: Recipient address rejected: {why}"


USER_UNKNOWN = recipient_rejected("no-such-user@example.com")
UNKNOWN_IN_VIRTUAL_TABLE = recipient_rejected(
    "jane.unknown@example.com", "User unknown in virtual mailbox table"
)
"""The first refusal of the two-recipient message (Postfix's virtual mailbox wording)."""

UNKNOWN_JANE = recipient_rejected("jane.unknown@example.com")
"""The first refusal of the two-recipient message, short form."""

NO_SUCH_ACCOUNT = "550 5.1.1 The email account that you tried to reach does not exist."
OVER_QUOTA = "552 5.2.2 The email account that you tried to reach is over quota."
MAILBOX_OVER_LIMIT = "552 5.2.2 <> Mailbox has exceeded the limit"
MAILBOX_FULL = "552 5.2.2 Mailbox full"
DISABLED = "550 5.2.1 The email account that you tried to reach is disabled."
DISABLED_WITH_SESSION_ID = f"{DISABLED} p28si19674740ybk.52"
"""Gmail's disabled-account reply as it arrives, with the session id after the text."""

BLOCKLISTED = (
    "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org;"
    " https://www.spamhaus.org/query/ip/127.0.0.1"
)
"""Spamhaus' documented refusal of a client on its blocklist, at RCPT."""

LOCAL_POLICY = "550 5.7.1 Message rejected due to local policy"
REJECTED_AS_SPAM = "554 5.7.1 Message rejected as spam"
"""A content filter's refusal at the end of DATA (``data_replies``)."""

TRY_LATER = "452 4.2.2 Mailbox full, please try again later"
"""A temporary refusal: the MTA retries, warns, and gives up at its (shortened) lifetime."""

GMAIL_NO_SUCH_USER = (
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser"
)
"""Gmail's documented unknown-account reply over four lines, as it comes over the wire."""

SIZE_EXCEEDED = "552 5.3.4 Message size exceeds fixed maximum message size"
"""Postfix's refusal of a message over its size limit, at the end of DATA."""

SENDER_REFUSED = f"553 5.7.1 <{RETURN_PATH}>: Sender address rejected: Access denied"
"""Postfix's refusal of an envelope sender its access table rejects, at MAIL FROM."""

GREETING_REFUSAL = "554 mx.example.com ESMTP not accepting messages"
"""sendmail's greeting to a client its access map rejects: refused at connect."""
