"""Bringing a store to the schema of this version, from inside the running event loop.

`serve` calls `upgrade` at startup and tests call it on a fresh file, so the
store is always migrated by the same code path as production.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from bounce_sink.store.db import make_engine
from bounce_sink.store.errors import StoreUnavailable, describe_failure

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """An Alembic configuration that needs no alembic.ini: everything lives in the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    # Revision files must be importable module names (mypy checks the package).
    config.set_main_option("file_template", "rev_%%(rev)s_%%(slug)s")
    return config


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the store at `url` to `revision`; raise StoreUnavailable with a next step."""
    config = alembic_config(url)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        engine = make_engine(url)
    except OSError as exc:
        raise StoreUnavailable(describe_failure(url, exc)) from exc
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    except Exception as exc:
        raise StoreUnavailable(describe_failure(url, exc)) from exc
    finally:
        await engine.dispose()


async def current_revision(url: str) -> str | None:
    """The revision the store is at, or None for an empty store."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()
