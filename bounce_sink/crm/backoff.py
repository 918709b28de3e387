"""Exponential backoff with full jitter (delay drawn uniformly from 0 to the exponential cap).

Full jitter spreads the retries of many events (and of several sink nodes)
over the whole window, so a CRM that comes back is not hit by every event at
the same second. The cap keeps a CRM that was down for hours polled every few
minutes at most, so delivery resumes soon after it recovers.
"""

from __future__ import annotations

import random

from bounce_sink.crm.http_status import MAX_RETRY_AFTER_SECONDS


def backoff_delay(
    attempts: int,
    base: float,
    cap: float,
    rng: random.Random | None = None,
    retry_after: float | None = None,
) -> float:
    """Seconds to wait before attempt `attempts + 1`, `attempts` >= 1 being failures so far.

    A Retry-After from the server is a floor: we never come back sooner than
    asked, even above our own cap (bounded to a day against nonsense values).
    """
    r = rng or random
    exponent = min(max(attempts - 1, 0), 60)
    ceiling = min(cap, base * (2.0**exponent))
    delay = r.uniform(0.0, max(ceiling, 0.0))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER_SECONDS))
    return delay
