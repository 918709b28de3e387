"""Why the store could not be used, said so that an operator knows what to do."""

from __future__ import annotations


class StoreUnavailable(RuntimeError):
    """The database could not be opened, migrated or written.

    Intake turns this into `451 4.3.0` (SMTP) or exit 75 (ingest), so the
    sending MTA retries later and nothing acknowledged is lost.
    """


def safe_url(url: str) -> str:
    """The store URL as logs and messages may show it: never with its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable url)"


def describe_failure(url: str, exc: BaseException) -> str:
    """One sentence naming the store and a next step, for logs and the command line."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return f"cannot use the database {url!r}: {exc}"
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ":memory:"
        return (
            f"cannot write the SQLite database {path}: {exc}. Check that its directory exists "
            "and is writable by this user, or choose another store with --database URL "
            "(or BOUNCE_SINK_DATABASE_URL), then run `bounce-sink db upgrade`."
        )
    safe = parsed.render_as_string(hide_password=True)
    return (
        f"cannot use the database {safe}: {exc}. Check that the server is reachable and the "
        "user may write, then run `bounce-sink db upgrade`."
    )
