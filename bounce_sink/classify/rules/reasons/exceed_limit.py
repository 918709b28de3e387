"""exceed_limit: the message exceeds a per-recipient administrative limit."""

from bounce_sink.classify.rules.model import Pattern

REASON = "exceed_limit"
PATTERNS = (Pattern("length_exceeds_limit", r"\bmessage length exceeds administrative limit\b"),)
