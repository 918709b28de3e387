"""mailer_error: the local delivery program failed (procmail, pipe, ...)."""

from bounce_sink.classify.rules.model import Pattern

REASON = "mailer_error"
PATTERNS = (
    Pattern(
        "program_failed",
        r"\bmailer (?:error|failed)\b|\bprocmail\b|\bpipe to \S+ (?:failed|returned)\b|\bcommand (?:died|output|failed)\b|\bexit(?:ed)? (?:with )?(?:status|code) \d+\b|\bunknown mailer error\b|\bpipe to \|/|\bbin/maildrop\b",
    ),
    # sendmail's EX_OSERR from a local mailer, as its DSN words it.
    Pattern("operating_system_error", r"\boperating system error\b"),
)
