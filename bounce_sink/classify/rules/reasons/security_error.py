"""security_error: a security requirement (authentication, encryption) failed."""

from bounce_sink.classify.rules.model import Pattern

REASON = "security_error"
PATTERNS = (
    Pattern(
        "authentication_required",
        r"\bauthentication (?:is )?required\b|\bauthentication turned on in your e-?mail client\b|\bturn on smtp authentication in your mail client\b|\bauthentification requise\b|\bauthrequired\b|\bunauthenticated senders not allowed\b|\bsmtp auth(?:entication)? (?:is )?required\b|\bmust (?:be authenticated|authenticate)\b|"
        # qmail's SMTP-AUTH patch: not a relay refusal but "authenticate first".
        r"\byou don't authenticate or the domain isn't in my list of allowed rcpthosts\b",
    ),
    Pattern(
        "authentication_failed",
        r"\bauthentication (?:failed|failure|credentials ?invalid)\b|\bcodes? d'? ?authentification invalide\b|\bauth(?:entication)? mechanism (?:is )?too weak\b",
    ),
    # Amazon SES refusing a sending account it has not enabled.
    Pattern(
        "ses_not_authorized",
        r"\baccount not subscribed to ses\b|\bnot authorized to perform ses:sendrawemail\b",
    ),
    Pattern(
        "insecure_content",
        r"\bexecutable files are not allowed in compressed files\b|\bis a dead domain\b|"
        # OpenSMTPD without the credentials for an authenticated relay;
        # Exchange's RESOLVER.RST.AuthRequired.
        r"\bcould not retrieve credentials\b|\bresolver\.rst\.authrequired\b",
    ),
)
