"""Acting on bounces: interactions, contact settings, soft-bounce counts, forged-bounce quarantine.

The public surface other rooms call; the modules behind it each do one job.
"""

from bounce_sink.policy.apply import PolicyOutcome, apply_report

__all__ = ["PolicyOutcome", "apply_report"]
