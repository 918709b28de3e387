"""suspend: the mailbox exists but is disabled, inactive or suspended.

Soft: an account can be re-enabled, and "disabled" is what providers say
when they lock an account for a while.
"""

from bounce_sink.classify.rules.model import Pattern

REASON = "suspend"
PATTERNS = (
    Pattern(
        "account_disabled",
        r"\b(?:account|mailbox|address|user|recipient)(?: address)? (?:has been |is |was )?(?:disabled|deactivated|suspended|inactive|locked|frozen|blocked by (?:the )?administrator)\b",
    ),
    Pattern(
        "disabled_recipient",
        r"\b(?:disabled|suspended|inactive|deactivated|expired) (?:recipient|user|account|mailbox)\b",
    ),
    Pattern(
        "email_account_disabled",
        r"\b(?:the )?(?:e-?mail )?account (?:that )?you tried to reach is (?:disabled|inactive)\b",
    ),
    Pattern(
        "temporarily_unavailable",
        r"\bmailbox (?:is )?(?:temporarily )?(?:disabled|suspended)\b|\bthis account has been temporarily suspended\b",
    ),
    Pattern(
        "currently_suspended",
        r"\b(?:mailbox|account) (?:is )?currently (?:disabled|suspended|inactive)\b|\bno longer active\b",
    ),
    Pattern(
        "suspended_or_inactive",
        r"\b(?:is currently|has been) suspended\b|\btemporar(?:y|ily) locked\b|\btemporarily inactive\b|"
        r"\bsuspend the service\b|\bmailbox unavailable or access denied\b|\buser not active\b|"
        r"\bbo[iî]te du destinataire archiv[ée]e\b|"
        # Sisimai 5 files these as suspend before user_unknown: an archived or
        # terminated mailbox, one that "no longer accepts mail", a disabled user
        # or domain, qmail-ldap's "Mailaddress is administratively disabled",
        # au's "account is temporarily limited".
        r"\barchived recipient\b|\buser is terminated\b|\bthis address no longer accepts mail\b|"
        r"\buser or domain is disabled\b|\bmail ?address is administrativ\w* disabled\b|"
        r"\baccount is temporarily limited\b",
    ),
)
