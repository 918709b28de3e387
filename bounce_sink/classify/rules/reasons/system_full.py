"""system_full: the receiving system is out of storage."""

from bounce_sink.classify.rules.model import Pattern

REASON = "system_full"
PATTERNS = (
    Pattern(
        "insufficient_system_storage",
        r"\binsufficient system storage\b|\bmail system full\b|\bdisk (?:is )?full\b|\bno space left on device\b|\bmailbox unavailable \(not enough free space\)",
    ),
)
