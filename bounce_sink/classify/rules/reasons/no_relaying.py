"""no_relaying: the host we reached does not relay for this domain."""

from bounce_sink.classify.rules.model import Pattern

REASON = "no_relaying"
PATTERNS = (
    Pattern(
        "relay_denied",
        r"\brelay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited)\b|\bunable to relay\b|\bwe do not relay\b|\bnot permitted to relay\b|\brelay not permitted\b|\bno relaying\b|\bas a relay\b|(?<!you don't authenticate or the domain isn't in my list of )\ballowed rcpthosts?\b|\bnot allowed to relay\b",
    ),
    # Servers saying the recipient's domain is not theirs to deliver to.
    Pattern(
        "not_our_domain",
        r"\bnot configured to relay mail\b|\bnot an open relay\b|\bnot a gateway\b|\bnot local host\b|"
        r"\bwe don'?t handle mail for\b|\brelaying mail to \S+ is not allowed\b|"
        r"\brequires authentication when attempting to send to a non-local e-?mail address\b|"
        # Amazon SES refusing a sender identity it has not verified: Sisimai 5.1's
        # norelaying; Qmail-type "insecure mail relay".
        r"\be-?mail address is not verified\b|\binsecure mail relay\b",
    ),
)
