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
    Pattern(
        "server_misconfigured",
        r"\bcan'?t create user output file\b|\binterrupted system call\b|\bqueue file write error\b|"
        r"\bremote server is misconfigured\b|\bsystem config error\b|"
        r"\bencountered an error while being processed\b",
    ),
)
