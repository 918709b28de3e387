"""The refusals every MTA lab plays, each as the case it makes: fixture name, recipient, reply.

The scripted receiver refuses the same recipients with the same replies in
every lab (``receiver_replies``), and most labs name the bounce the same
file, so a case that is the same in every lab is written once here.  A lab
turns one into its own ``Case`` with ``Case(**REFUSAL._asdict())`` (adding
what its cases have besides, e.g. the Subject it waits for); a case that
differs in a lab (another reply, another file name, another piece of text
to expect) stays written out in that lab.
"""

from __future__ import annotations

from typing import NamedTuple

from mta_lab.receiver_replies import (
    BLOCKLISTED,
    DISABLED,
    DISABLED_WITH_SESSION_ID,
    GMAIL_NO_SUCH_USER,
    LOCAL_POLICY,
    MAILBOX_OVER_LIMIT,
    NO_SUCH_ACCOUNT,
    OVER_QUOTA,
    REJECTED_AS_SPAM,
    SIZE_EXCEEDED,
    USER_UNKNOWN,
)


class Refusal(NamedTuple):
    """One recipient the scripted receiver refuses, and the bounce that makes."""

    fixture: str
    recipient: str
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # the receiver's reply to RCPT
    data_reply: str | None = None  # the receiver's reply to the end of DATA


USER_UNKNOWN_AT_RCPT = Refusal(
    "user-unknown-550-5.1.1.eml", "no-such-user@example.com", USER_UNKNOWN, USER_UNKNOWN
)
NO_SUCH_ACCOUNT_AT_RCPT = Refusal(
    "user-unknown-550-5.1.1.eml", "no-such-user@example.com", NO_SUCH_ACCOUNT, NO_SUCH_ACCOUNT
)
"""The same unknown recipient, in Gmail's words."""

GMAIL_MULTILINE_AT_RCPT = Refusal(
    "user-unknown-multiline-550-5.1.1.eml",
    "gmail-style-unknown@example.com",
    "https://support.google.com/mail/?p=NoSuchUser",
    GMAIL_NO_SUCH_USER,
)
OVER_QUOTA_AT_RCPT = Refusal(
    "mailbox-full-552-5.2.2.eml", "full-mailbox@example.com", OVER_QUOTA, OVER_QUOTA
)
DISABLED_AT_RCPT = Refusal(
    "disabled-550-5.2.1.eml", "disabled-account@example.com", DISABLED, DISABLED
)
MAILBOX_OVER_LIMIT_AT_RCPT = Refusal(
    "mailbox-full-552-5.2.2.eml", "full-mailbox@example.com", MAILBOX_OVER_LIMIT, MAILBOX_OVER_LIMIT
)
"""The full mailbox in the product documentation's words ("Mailbox has exceeded the limit")."""

DISABLED_WITH_SESSION_AT_RCPT = Refusal(
    "disabled-550-5.2.1.eml", "disabled-account@example.com", DISABLED, DISABLED_WITH_SESSION_ID
)
"""The disabled account as Gmail answers it, with its session id after the text."""

LOCAL_POLICY_AT_RCPT = Refusal(
    "blocked-by-policy-550-5.7.1-at-rcpt.eml",
    "policy-blocked@example.com",
    LOCAL_POLICY,
    LOCAL_POLICY,
)
BLOCKLISTED_AT_RCPT = Refusal(
    "blocklisted-client-554-5.7.1-at-rcpt.eml",
    "blocked-sender@example.com",
    "blocked using zen.spamhaus.org",
    BLOCKLISTED,
)
"""Our sending host on a DNS blocklist (Spamhaus' documented wording)."""

SPAM_AFTER_DATA = Refusal(
    "rejected-as-spam-after-data-554-5.7.1.eml",
    "content-filtered@example.com",
    REJECTED_AS_SPAM,
    data_reply=REJECTED_AS_SPAM,
)
TOO_BIG_AFTER_DATA = Refusal(
    "message-too-big-552-5.3.4-after-data.eml",
    "small-mailbox@example.com",
    SIZE_EXCEEDED,
    data_reply=SIZE_EXCEEDED,
)
