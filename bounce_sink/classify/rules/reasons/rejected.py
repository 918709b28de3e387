"""rejected: the receiver refuses our envelope sender (MAIL FROM)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "rejected"
PATTERNS = (
    Pattern(
        "sender_rejected",
        r"\bsender (?:address )?(?:rejected|denied|refused|blocked|not allowed|verify failed)\b|\bsender (?:e-?mail )?address rejected\b|\bbad sender\b(?! ip)",
    ),
    Pattern(
        "sender_domain_not_exist",
        r"\bdomain of sender address \S+ does not exist\b|\bsender domain (?:does not exist|not found|must exist|is empty)\b|"
        r"\bwithout a valid sender domain\b|\bunroutable sender address\b|\bfrom: domain is invalid\b",
    ),
    Pattern("invalid_sender", r"\binvalid sender\b|\bsender (?:is )?invalid\b|\bunknown sender\b"),
    Pattern("mail_from_rejected", r"\bmail from (?:address )?(?:rejected|refused|not accepted)\b"),
    # A block list of addresses (not of IPs) names our envelope sender.
    Pattern(
        "sender_address_listed",
        r"\b(?:sending (?:to/)?from|sender) (?:an )?address (?:that )?(?:has been|is) (?:black|block)listed\b|"
        r"\byour e-?mail address has been (?:black|block)listed\b",
    ),
    Pattern(
        "envelope_sender_denied",
        r"\benvelope sender (?:has been |was |is )?(?:denied|rejected|refused|blocked)\b",
    ),
    # Refusals of an empty sender, i.e. of bounces and other DSNs.
    Pattern(
        "null_sender_refused",
        r"\bempty envelope senders not allowed\b|\bnull sender is not allowed\b|\bno third-party dsns\b|"
        r"\breturned mail not accepted here\b|\bunsigned dsn for\b|\bbogus mail from\b|\bbatv\b|"
        r"\bbackscatter protection detected\b|\bsyntax error: empty e-?mail address\b",
    ),
    # The sender is not one this server or recipient takes mail from.
    Pattern(
        "sender_not_allowed",
        r"\bsender isn'?t on the recipient'?s list of senders\b|\bsender not pre-approved\b|"
        r"\bsender is spammer\b|\bsender blacklisted\b|\bsender is in my black ?list\b|"
        r"\bmail from not owned by user\b|\bcan'?t determine purported responsible address\b|"
        r"\bnot a registered gateway user\b|\bsenderfilterconfig\b|\bemetteur invalide\b|"
        r"\bdelivery not authorized, message refused\b|\[bouncedeny\]|\bsecumail valid-address-filter\b|"
        r"\benvelope blocked\b|\bfully qualified e-?mail address required\b|\binvalid domain, see <url:|"
        r"\bthis server does not accept mail from\b|\bnot allowed to post to this (?:mailing )?list\b|"
        r"\baccess to submit messages to this e-?mail system has been rejected\b|"
        r"\brule imposed mailbox access for\b|\brecursive cname records for\b|\badministrative prohibition\b|"
        # Gmail refusing a "Send mail as" alias; SendGrid's address that
        # reported us as spam; fml's list refusing a non-member's post.
        r"\bsending this from a different address or alias\b|\bspam reporting address\b|"
        r"\bnot member article from\b|\byou are not a member of this mailing list\b",
    ),
)
