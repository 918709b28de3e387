"""rejected: the receiver refuses our envelope sender (MAIL FROM)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "rejected"
PATTERNS = (
    Pattern(
        "sender_rejected",
        r"\bsender (?:address )?(?:rejected|denied|refused|blocked|not allowed|verify failed)\b|\bsender address rejected\b|\bbad sender\b",
    ),
    Pattern(
        "sender_domain_not_exist",
        r"\bdomain of sender address \S+ does not exist\b|\bsender domain (?:does not exist|not found|must exist)\b",
    ),
    Pattern("invalid_sender", r"\binvalid sender\b|\bsender (?:is )?invalid\b|\bunknown sender\b"),
    Pattern("mail_from_rejected", r"\bmail from (?:address )?(?:rejected|refused|not accepted)\b"),
    # A block list of addresses (not of IPs) names our envelope sender.
    Pattern(
        "sender_address_listed",
        r"\b(?:sending (?:to/)?from|sender) (?:an )?address (?:that )?(?:has been|is) (?:black|block)listed\b",
    ),
    Pattern(
        "envelope_sender_denied",
        r"\benvelope sender (?:has been |was |is )?(?:denied|rejected|refused|blocked)\b",
    ),
)
