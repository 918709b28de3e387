"""Bare enhanced status codes (RFC 3463 and the IANA registry) to reasons.

The weakest evidence: used only when neither a provider's text nor a
generic wording decided. Keyed on ``subject.detail`` so that 4.x.x and
5.x.x share one entry; whether that makes a hard bounce is decided later
from the class. Codes that say nothing specific (x.0.0, x.5.0, x.7.1 is
"delivery not authorized" for any reason) are left out on purpose or map
to the broad reason their RFC text gives.
"""

from __future__ import annotations

STATUS_REASONS: dict[str, str] = {
    "1.0": "rejected",  # other address status (Sisimai reads it as a refused address)
    "1.1": "user_unknown",  # bad destination mailbox address
    "1.2": "host_unknown",  # bad destination system address
    "1.3": "user_unknown",  # bad destination mailbox address syntax
    "1.4": "system_error",  # destination mailbox address ambiguous
    "1.6": "has_moved",  # destination mailbox has moved, no forwarding address
    "1.7": "rejected",  # bad sender's mailbox address syntax
    "1.8": "rejected",  # bad sender's system address
    "1.9": "system_error",  # message relayed to non-compliant mailer
    "1.10": "not_accept",  # recipient address has null MX (RFC 7505)
    "2.0": "filtered",  # other or undefined mailbox status
    "2.1": "suspend",  # mailbox disabled, not accepting messages
    "2.2": "mailbox_full",  # mailbox full
    "2.3": "exceed_limit",  # message length exceeds administrative limit
    "2.4": "system_error",  # mailing list expansion problem
    "3.0": "system_error",  # other or undefined mail system status
    "3.1": "system_full",  # mail system full
    "3.2": "not_accept",  # system not accepting network messages
    "3.3": "system_error",  # system not capable of selected features
    "3.4": "mesg_too_big",  # message too big for system
    "3.5": "system_error",  # system incorrectly configured
    "4.0": "network_error",  # other or undefined network or routing status
    "4.1": "network_error",  # no answer from host
    "4.2": "network_error",  # bad connection
    "4.3": "system_error",  # directory server failure
    "4.4": "host_unknown",  # unable to route
    "4.5": "too_many_conn",  # mail system congestion
    "4.6": "network_error",  # routing loop detected
    "4.7": "expired",  # delivery time expired
    "5.1": "syntax_error",  # invalid command
    "5.2": "syntax_error",  # syntax error
    "5.3": "too_many_conn",  # too many recipients
    "5.4": "syntax_error",  # invalid command arguments
    "5.5": "syntax_error",  # wrong protocol version
    "5.6": "syntax_error",  # authentication exchange line too long
    "6.0": "content_error",  # other or undefined media error
    "6.1": "content_error",  # media not supported
    "6.2": "content_error",  # conversion required and prohibited
    "6.3": "content_error",  # conversion required but not supported
    "6.4": "content_error",  # conversion with loss performed
    "6.5": "content_error",  # conversion failed
    "6.6": "content_error",  # message content not available
    "6.7": "content_error",  # non-ASCII addresses not permitted
    "6.8": "content_error",  # UTF-8 string reply is required
    "6.9": "content_error",  # UTF-8 header message cannot be transferred
    "7.0": "security_error",  # other or undefined security status
    "7.1": "security_error",  # delivery not authorized, message refused
    "7.2": "security_error",  # mailing list expansion prohibited
    "7.3": "security_error",  # security conversion required but not possible
    "7.4": "security_error",  # security features not supported
    "7.5": "security_error",  # cryptographic failure
    "7.6": "security_error",  # cryptographic algorithm not supported
    "7.7": "security_error",  # message integrity failure
    "7.8": "security_error",  # authentication credentials invalid
    "7.9": "security_error",  # authentication mechanism is too weak
    "7.10": "failed_starttls",  # encryption needed
    "7.11": "failed_starttls",  # encryption required for requested authentication mechanism
    "7.12": "security_error",  # a password transition is needed
    "7.13": "suspend",  # user account disabled
    "7.14": "security_error",  # trust relationship required
    "7.15": "policy_violation",  # priority level is too low
    "7.16": "mesg_too_big",  # message is too big for the specified priority
    "7.20": "auth_failure",  # no passing DKIM signature found
    "7.21": "auth_failure",  # no acceptable DKIM signature found
    "7.22": "auth_failure",  # no valid author-matched DKIM signature found
    "7.23": "auth_failure",  # SPF validation failed
    "7.24": "auth_failure",  # SPF validation error
    "7.25": "require_ptr",  # reverse DNS validation failed
    "7.26": "auth_failure",  # multiple authentication checks failed
    "7.27": "rejected",  # sender address has null MX: our side, never the recipient's
    "7.28": "speeding",  # mail flood detected
    "7.29": "auth_failure",  # ARC validation failure
    "7.30": "failed_starttls",  # REQUIRETLS support required
}


def reason_of_status(status: str) -> str | None:
    """The reason a bare enhanced status code stands for, if it says anything."""
    klass, _, rest = status.partition(".")
    if klass not in ("4", "5") or not rest:
        return None
    return STATUS_REASONS.get(rest)
