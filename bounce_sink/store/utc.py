"""Times read back from the store, made aware again.

Everything is stored in UTC, but SQLite hands datetimes back naive (PostgreSQL
gives them aware). Every reader that compares, counts by day or prints a
stored time goes through here, so no room guesses the zone on its own.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(value: datetime) -> datetime:
    """The stored time as an aware UTC datetime, whichever database it came from."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 with the +00:00 offset a script reading our JSON needs; None stays None."""
    return as_utc(value).isoformat() if value is not None else None
