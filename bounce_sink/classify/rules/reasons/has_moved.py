"""has_moved: the mailbox moved; the server names a new address (551)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "has_moved"
PATTERNS = (
    Pattern(
        "user_not_local",
        r"\buser not local; please try\b|\buser has moved\b|\baddress has (?:been )?(?:changed|moved)\b|\bhas been replaced by\b",
    ),
)
