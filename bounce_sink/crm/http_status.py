"""How an HTTP answer from a CRM maps to an outcome, in one table for every adapter.

DESIGN.md "Flow" step 5: 408, 429 (honour Retry-After) and 5xx retry; 401
refreshes the token once, then retries; other 4xx are dead letters. The 401
refresh belongs to adapters that hold a token; here a 401 that is still a 401
is a retry, because wrong credentials are the operator's problem, not the
event's, and dead-lettering every event for a config error would need a
manual retry of all of them.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from datetime import UTC, datetime

from bounce_sink.crm.adapter import Outcome

RETRY_STATUSES = frozenset({401, 408, 425, 429})
MAX_RETRY_AFTER_SECONDS = 24 * 3600.0


def outcome_for_status(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if status in RETRY_STATUSES or status >= 500:
        return Outcome.RETRY
    # Other 4xx (and 1xx/3xx, which a JSON API should never answer here) are
    # permanent for this event as sent.
    return Outcome.DEAD


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), if any."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def short_body(text: str, limit: int = 300) -> str:
    """The start of an error body, on one line, for last_error and logs."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
