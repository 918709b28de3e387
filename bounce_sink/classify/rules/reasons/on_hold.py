"""on_hold: held by the reporting MTA pending something else."""

from bounce_sink.classify.rules.model import Pattern

REASON = "on_hold"
PATTERNS = (Pattern("held", r"\bon hold\b|\bmessage (?:is )?held\b|\bquarantined\b"),)
