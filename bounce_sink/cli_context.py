"""What every command gets from the `bounce-sink` group: settings, logging and a store.

Kept apart from cli.py so room commands (admin, policy, crm) can import it
without importing the command group that registers them.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import ConfigError, Settings, load_settings
from bounce_sink.logs import configure_logging
from bounce_sink.store.errors import StoreUnavailable, describe_failure

T = TypeVar("T")


def print_json(obj: object) -> None:
    """One JSON document on one line of stdout: what every `--json` view prints.

    Non-ASCII text stays as it is (addresses and diagnostics may be UTF-8), and
    one object per line makes a list readable as JSON lines.
    """
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def settings_from(ctx: click.Context) -> Settings:
    """Settings from --config / --database (or their environment variables); logging set up."""
    obj = ctx.find_root().obj or {}
    try:
        settings = load_settings(obj.get("config_path"), database_url=obj.get("database_url"))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    configure_logging(settings.log_format, settings.log_level)
    return settings


async def with_store(
    settings: Settings,
    job: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]],
    *,
    migrate: bool = True,
) -> T:
    """Run `job` on a (migrated) store and close it; store failures become StoreUnavailable."""
    # Imported here: `parse` and `--help` should not pay for SQLAlchemy and Alembic.
    from bounce_sink.store.db import make_engine, make_sessionmaker
    from bounce_sink.store.migrate import upgrade

    if migrate:
        await upgrade(settings.database_url)
    try:
        engine = make_engine(settings.database_url)
    except OSError as exc:
        raise StoreUnavailable(describe_failure(settings.database_url, exc)) from exc
    try:
        return await job(make_sessionmaker(engine))
    finally:
        await engine.dispose()


def run_with_store(
    settings: Settings,
    job: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]],
    *,
    migrate: bool = True,
) -> T:
    """`with_store` for a click command: a store failure is a one-line error, exit status 1."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return asyncio.run(with_store(settings, job, migrate=migrate))
    except StoreUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(describe_failure(settings.database_url, exc)) from exc


def run_in_session(settings: Settings, read: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`run_with_store` for the views: one session, `read` does the rest (reads commit nothing)."""

    async def job(sessionmaker: async_sessionmaker[AsyncSession]) -> T:
        async with sessionmaker() as session:
            return await read(session)

    return run_with_store(settings, job)


def days_to_keep(days: int | None, configured: int, setting: str) -> int:
    """A purge's retention: `--days`, else the setting; neither is a usage error, not "keep nothing"."""
    keep = days or configured
    if keep <= 0:
        raise click.UsageError(f"say how many days to keep: --days N (or set {setting})")
    return keep


def run_committed(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`run_with_store` for a change made in one session: `work` changes, this commits."""

    async def job(sessionmaker: async_sessionmaker[AsyncSession]) -> T:
        async with sessionmaker() as session:
            result = await work(session)
            await session.commit()
            return result

    return run_with_store(settings, job)


F = TypeVar("F", bound=Callable[..., object])


def _remember(key: str) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            root = ctx.find_root()
            root.ensure_object(dict)
            root.obj[key] = value
        return value

    return callback


def store_options(command: F) -> F:
    """Let a subcommand take --config/--database after its name, too (`dsn list --database …`)."""
    command = click.option(
        "--database",
        "_database_url",
        expose_value=False,
        callback=_remember("database_url"),
        help="Store URL (same as the top-level --database).",
    )(command)
    return click.option(
        "--config",
        "_config_path",
        expose_value=False,
        type=click.Path(dir_okay=False),
        callback=_remember("config_path"),
        help="TOML configuration file (same as the top-level --config).",
    )(command)


def ensure_store_options(group: click.Group, skip: frozenset[str] = frozenset()) -> None:
    """Give every command of the tree --config/--database, unless it already has them.

    Called once after the rooms registered their commands, so "works on every
    command" holds for commands written without `store_options` too. `skip`
    names commands that never open a store (`parse`).
    """
    for name, command in group.commands.items():
        if name in skip:
            continue
        if isinstance(command, click.Group):
            ensure_store_options(command, skip)
            continue
        taken = {opt for param in command.params for opt in param.opts}
        if "--database" not in taken:
            command.params.append(
                click.Option(
                    ["--database", "_database_url"],
                    expose_value=False,
                    callback=_remember("database_url"),
                    help="Store URL (same as the top-level --database).",
                )
            )
        if "--config" not in taken:
            command.params.append(
                click.Option(
                    ["--config", "_config_path"],
                    expose_value=False,
                    type=click.Path(dir_okay=False),
                    callback=_remember("config_path"),
                    help="TOML configuration file (same as the top-level --config).",
                )
            )
