"""no_relaying: the host we reached does not relay for this domain."""

from bounce_sink.classify.rules.model import Pattern

REASON = "no_relaying"
PATTERNS = (
    Pattern(
        "relay_denied",
        r"\brelay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited)\b|\bunable to relay\b|\bwe do not relay\b|\bnot permitted to relay\b|\brelay not permitted\b|\bno relaying\b|\bas a relay\b|\ballowed rcpthosts\b",
    ),
)
