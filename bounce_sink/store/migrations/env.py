"""Alembic environment: async engines, and a connection handed in by `store.migrate`.

`store.migrate.upgrade` runs inside the application's event loop, so it passes
its own connection through `config.attributes["connection"]`; the `alembic`
command line (and `regenerate_migration`) has no loop and gets one here.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bounce_sink.store.db import make_engine
from bounce_sink.store.migration_ops import add_deferred_foreign_keys
from bounce_sink.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        process_revision_directives=add_deferred_foreign_keys,
        # SQLite cannot ALTER constraints; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_on)
            await connection.commit()
    finally:
        await engine.dispose()


def _run_offline(url: str) -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


_url = config.get_main_option("sqlalchemy.url") or ""
_given = config.attributes.get("connection")
if context.is_offline_mode():
    _run_offline(_url)
elif isinstance(_given, Connection):
    _run_on(_given)
else:
    asyncio.run(_run_with_own_engine(_url))
