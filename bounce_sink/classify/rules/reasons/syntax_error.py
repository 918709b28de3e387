"""syntax_error: an SMTP command or its argument was malformed."""

from bounce_sink.classify.rules.model import Pattern

REASON = "syntax_error"
PATTERNS = (
    Pattern(
        "command_syntax",
        r"\bsyntax error\b|\bcommand (?:parameter )?not (?:implemented|recognized)\b|\bcommand unrecognized\b|\bbad command\b|\binvalid command\b",
    ),
    Pattern("bad_sequence", r"\bbad sequence of commands\b"),
    # Exim's address parser on a recipient it cannot read.
    Pattern(
        "unreadable_address",
        r"\bangle-brackets nested too deep\b|\bexpected word or \"<\"|"
        r"\bdomain missing in source-routed address\b|\bmalformed address:",
    ),
)
