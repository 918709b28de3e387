"""Shared, generic fixtures: a migrated SQLite store in tmp_path, settings pointing at it,
the real SMTP intake on loopback (`smtp_intake`), and a throwaway PostgreSQL (`postgres_url`)."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import smtplib
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings, load_settings
from bounce_sink.processing import Processor
from bounce_sink.smtp import bound_port, start_smtp_server
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.migrate import upgrade


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database on loopback for the test module, stopped afterwards.

    One server per module: the multi-node tests (processing, policy, CRM
    outbox, migration) each get a store of their own. It fails, never skips,
    when PostgreSQL cannot start (see tests/integration/postgres_server.py).
    """
    name = "bounce_sink_tests_postgres_server"
    module = sys.modules.get(name)
    if module is None:
        path = Path(__file__).parent / "integration" / "postgres_server.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    with module.running_postgres() as url:
        yield str(url)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A real SQLite file, not yet created."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bounce-sink.db'}"


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Embedded defaults, with the store in tmp_path; no environment or config file read."""
    return load_settings(env={}, database_url=db_url)


@pytest.fixture(scope="session")
def migrated_sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store migrated to head by the same `upgrade` production uses,
    once a run: ~130 tests each start on a copy of it.

    Running the migrations costs ~0.15-0.2 s a store under coverage (~20 s a
    run); copying the file gives the same schema and alembic revision. The
    migrations themselves are tested on their own stores (tests/unit/store).
    """
    path = tmp_path_factory.mktemp("migrated-store") / "bounce-sink.db"
    asyncio.run(upgrade(f"sqlite+aiosqlite:///{path}"))
    # upgrade() disposed of its engine: the WAL is checkpointed into the file.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
async def sessionmaker(
    db_url: str, migrated_sqlite_store: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh store of the test's own, migrated by the same `upgrade`
    production uses (a copy of `migrated_sqlite_store`, in tmp_path)."""
    shutil.copyfile(migrated_sqlite_store, db_url.removeprefix("sqlite+aiosqlite:///"))
    engine = make_engine(db_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


@dataclass
class RunningIntake:
    """The real SMTP intake on a loopback port, with the processing that follows it."""

    port: int
    processor: Processor

    def send(
        self, raw: bytes, rcpts: Sequence[str] = ("bounces@localhost",), sender: str = ""
    ) -> None:
        """Blocking smtplib submission; call it via asyncio.to_thread from a test."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            client.ehlo("mta.example.org")
            client.sendmail(sender, list(rcpts), raw)

    async def deliver(self, raw: bytes, rcpts: Sequence[str] = ("bounces@localhost",)) -> None:
        """Send over SMTP and wait until the message has been parsed and policy applied."""
        await asyncio.to_thread(self.send, raw, rcpts)
        await self.processor.drain()


@pytest.fixture
async def smtp_intake(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[RunningIntake]:
    """SMTP intake on 127.0.0.1 (any free port) feeding a Processor, on the test's loop."""
    processor = Processor(settings, sessionmaker)
    server = await start_smtp_server(
        settings, sessionmaker, on_stored=processor.submit, host="127.0.0.1", port=0
    )
    try:
        yield RunningIntake(bound_port(server), processor)
    finally:
        server.close()
        await server.wait_closed()
        await processor.drain()
