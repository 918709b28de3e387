"""expired: the sending MTA gave up retrying (queue lifetime reached)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "expired"
PATTERNS = (
    Pattern(
        "retry_time_exceeded",
        r"\bretry (?:time(?:out)?|timeout) (?:not reached|exceeded)\b|\bgiving up\b|\bgave up\b",
    ),
    Pattern(
        "too_long_in_queue",
        r"\b(?:was|has been) (?:in the queue|queued|undeliverable) (?:for )?too long\b|\btoo long in (?:the )?queue\b|\bmessage expired\b|\bexpired after\b|\bunable to deliver (?:this message )?after\b|\bcould not be delivered (?:for|within)\b|\ball hosts have been failing for a long time\b",
    ),
    Pattern(
        "delivery_time_expired",
        r"\bdelivery (?:time|period) expired\b|\bmessage timed out\b|\btimeout waiting\b",
    ),
    # A connection time-out reaches the sender only when the MTA gives up.
    Pattern(
        "connection_timed_out", r"\bconnection timed out\b|\btimed out while\b|\bwill be retried\b"
    ),
)
