"""The same migration on PostgreSQL (several sink nodes share one store there).

PostgreSQL leaves `use_alter` foreign keys out of CREATE TABLE, so this is
where a missing deferred key would show.
"""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from bounce_sink.store.db import make_engine
from bounce_sink.store.migrate import alembic_config, current_revision, upgrade
from bounce_sink.store.models import Base

pytestmark = [pytest.mark.integration, pytest.mark.slow]


async def test_upgrade_matches_models_and_downgrades_on_postgresql(postgres_url: str) -> None:
    url = postgres_url
    await upgrade(url)
    await upgrade(url)
    assert await current_revision(url) == "0001"
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            diffs = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}),
                    Base.metadata,
                )
            )

            def downgrade(sync: Connection) -> None:
                config = alembic_config(url)
                config.attributes["connection"] = sync
                command.downgrade(config, "base")

            await conn.run_sync(downgrade)
            await conn.commit()
    finally:
        await engine.dispose()
    assert diffs == []
    assert await current_revision(url) is None
