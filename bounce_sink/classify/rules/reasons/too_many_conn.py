"""too_many_conn: too many connections or recipients at once."""

from bounce_sink.classify.rules.model import Pattern

REASON = "too_many_conn"
PATTERNS = (
    Pattern(
        "too_many_connections",
        r"\btoo many (?:connections|concurrent|simultaneous|sessions)\b|\bconnection (?:rate|frequency) limit(?:ed)?\b|\bconnection frequency limited\b",
    ),
    Pattern("too_many_recipients", r"\btoo many recipients\b"),
    Pattern(
        "connection_limit",
        r"\bconnection limit (?:exceeded|reached)\b|\btoo many smtp sessions\b|\bmaximum connection limit\b|"
        r"\bper-domain connection limit\b|\btoo many errors from your ip\b|\btrop de connexions\b|"
        r"\bresolver\.adr\.reciplimit\b",
    ),
)
