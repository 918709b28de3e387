"""Shared, generic fixtures: a migrated SQLite store in tmp_path, and settings pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings, load_settings
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.migrate import upgrade


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A real SQLite file, not yet created."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bounce-sink.db'}"


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Embedded defaults, with the store in tmp_path; no environment or config file read."""
    return load_settings(env={}, database_url=db_url)


@pytest.fixture
async def sessionmaker(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a store migrated by the same `upgrade` production uses."""
    await upgrade(db_url)
    engine = make_engine(db_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()
