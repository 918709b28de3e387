"""system_error: the receiving system failed or is misconfigured."""

from bounce_sink.classify.rules.model import Pattern

REASON = "system_error"
PATTERNS = (
    Pattern(
        "local_error",
        r"\blocal error in processing\b|\binternal (?:server )?error\b|\bsystem (?:error|failure)\b|\btemporary (?:local )?problem\b|\bserver (?:error|failure)\b",
    ),
    Pattern(
        "service_unavailable",
        r"\bservice (?:currently )?unavailable\b|\bcould not load\b|\bmail system problem\b|\bconfiguration error\b",
    ),
    Pattern(
        "error_in_processing",
        r"\berror in processing\b|\bsystem (?:is )?(?:temporarily )?(?:unavailable|overloaded)\b",
    ),
)
