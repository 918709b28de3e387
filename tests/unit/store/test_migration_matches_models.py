"""The generated migration must create exactly the schema models.py describes."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from bounce_sink.store.db import make_engine
from bounce_sink.store.migrate import alembic_config, current_revision, upgrade
from bounce_sink.store.models import Base


async def test_upgraded_store_matches_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            diffs = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert diffs == [], (
        "models.py and the migration differ; run "
        "`.venv/bin/python -m bounce_sink.store.regenerate_migration` and commit the result: "
        f"{diffs}"
    )
    assert set(Base.metadata.tables) <= tables


async def test_upgrade_is_idempotent_and_records_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'store.db'}"
    await upgrade(url)
    await upgrade(url)
    assert await current_revision(url) == "0001"


async def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    await upgrade(url)
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:

            def downgrade(sync: Connection) -> None:
                config = alembic_config(url)
                config.attributes["connection"] = sync
                command.downgrade(config, "base")

            await conn.run_sync(downgrade)
            await conn.commit()
            left = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert left <= {"alembic_version"}
    await upgrade(url)
    assert await current_revision(url) == "0001"
