"""filtered: a recipient-side filter or rule refused the message."""

from bounce_sink.classify.rules.model import Pattern

REASON = "filtered"
PATTERNS = (
    Pattern(
        "message_filtered",
        r"\bmessage filtered\b|\bfiltered by\b|\brejected by (?:the )?recipient'?s? (?:filter|rule)\b",
    ),
    Pattern(
        "recipient_refuses",
        r"\b(?:recipient|user) (?:has )?(?:refused|rejected|declined|does not accept) (?:to receive |your |mail|messages|this)\b",
    ),
)
