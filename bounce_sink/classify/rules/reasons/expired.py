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
        r"\b(?:was|has been) (?:in the queue|queued|undeliverable) (?:for )?too long\b|\btoo long in (?:the )?queue\b|\b(?:message|envelope|delivery) expired\b|\bdelivery timeout\b|\bexpired after\b|\bunable to deliver (?:this message |the message |message )?after\b|\bcould not be delivered (?:for|within)\b|\b(?:all hosts )?ha(?:ve|s) been failing for a long time\b|\bnot reachable within the allowed queue period\b|\bit has not been collected after\b",
    ),
    Pattern(
        "delivery_time_expired",
        r"\bdelivery (?:time|period) expired\b|\bmessage timed out\b|\btimeout waiting\b",
    ),
    # A connection time-out reaches the sender only when the MTA gives up.
    Pattern(
        "connection_timed_out", r"\bconnection timed out\b|\btimed out while\b|\bwill be retried\b"
    ),
    # Delay notices and gateways giving up: the MTA's own words, not the recipient's.
    Pattern(
        "delivery_delayed",
        r"\bdelivery attempts will continue\b|\bhas been delayed\b|\bcould not find a gateway for\b|"
        r"\bserver did not respond\b|"
        # Gmail giving up on DNS or on connecting; Exim's frozen messages; au's
        # "Your message was not delivered within 0 days and 1 hours."
        r"\bcould not contact dns servers\b|\bdid not accept our requests to connect\b|"
        r"\b(?:has been|was) frozen(?: on arrival)? by\b|\bnot delivered within \d+ days?\b",
    ),
)
