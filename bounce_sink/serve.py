"""`bounce-sink serve`: intake, processing, CRM sync and the admin web on one event loop.

One loop owns the database engine and every server, so there are no threads
to coordinate and shutdown is a single, ordered sequence: stop accepting,
finish what was accepted, stop the workers, close the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.crm.outbox_retention import purge_delivered
from bounce_sink.processing import Processor
from bounce_sink.smtp import bound_port, start_lmtp_server, start_smtp_server
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.errors import safe_url
from bounce_sink.store.messages import GroupCommitWriter
from bounce_sink.store.migrate import upgrade
from bounce_sink.store.retention import purge_raw, retention_cutoff

log = structlog.get_logger("bounce_sink.serve")

SHUTDOWN_GRACE_SECONDS = 10.0
RETENTION_INTERVAL_SECONDS = 3600.0


class ListenError(RuntimeError):
    """A server could not bind its address; the message names the setting to change."""


@dataclass
class Listening:
    """Where the running sink can be reached (ports resolved when 0 was asked for)."""

    smtp: tuple[str, int]
    lmtp: str = ""
    admin: str = ""
    components: list[str] = field(default_factory=list)


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    handle_signals: bool = True,
    on_ready: Callable[[Listening], None] | None = None,
) -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM arrives), then shut down cleanly."""
    stop = stop or asyncio.Event()
    await upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    processor = Processor(settings, sessionmaker)
    writer = GroupCommitWriter(sessionmaker, store_limit=settings.store_limit)
    servers: list[asyncio.Server] = []
    tasks: list[asyncio.Task[Any]] = []
    admin_exit: list[Callable[[], None]] = []
    try:
        with _signals(stop, handle_signals):
            try:
                smtp = await start_smtp_server(
                    settings, sessionmaker, on_stored=processor.submit, writer=writer
                )
            except OSError as exc:
                raise ListenError(
                    f"cannot listen for SMTP on {settings.smtp_host}:{settings.smtp_port}: "
                    f"{exc.strerror or exc}. Set smtp_host/smtp_port (BOUNCE_SINK_SMTP_PORT) "
                    "to a free address."
                ) from exc
            servers.append(smtp)
            listening = Listening(smtp=(settings.smtp_host, bound_port(smtp)))
            if settings.lmtp_enabled:
                try:
                    lmtp = await start_lmtp_server(
                        settings, sessionmaker, on_stored=processor.submit, writer=writer
                    )
                except OSError as exc:
                    where = settings.lmtp_socket or f"{settings.lmtp_host}:{settings.lmtp_port}"
                    raise ListenError(
                        f"cannot listen for LMTP on {where}: {exc.strerror or exc}. "
                        "Set lmtp_socket or lmtp_host/lmtp_port to a free address."
                    ) from exc
                servers.append(lmtp)
                listening.lmtp = settings.lmtp_socket or f"{settings.lmtp_host}:{bound_port(lmtp)}"
            tasks.append(_task(processor.run_sweeps(stop), "sweeps"))
            if settings.raw_retention_days > 0 or settings.outbox_retention_days > 0:
                tasks.append(_task(_purge_periodically(settings, sessionmaker, stop), "purge"))
            if settings.crm_adapter != "none":
                sync = _crm_sync(settings, sessionmaker, stop)
                if sync is not None:
                    tasks.append(_task(sync, "crm-sync"))
                    listening.components.append("crm-sync")
            if settings.admin_enabled:
                admin = _admin_web(settings, sessionmaker, admin_exit)
                if admin is not None:
                    where = f"{settings.admin_host}:{settings.admin_port}"
                    hint = (
                        f"the admin web could not run on {where} (see the error before); "
                        "set admin_port to a free port or admin_enabled = false"
                    )
                    tasks.append(_task(admin, "admin-web", hint))
                    listening.admin = f"http://{settings.admin_host}:{settings.admin_port}/"
            log.info(
                "serving",
                smtp=f"{listening.smtp[0]}:{listening.smtp[1]}",
                lmtp=listening.lmtp or None,
                admin=listening.admin or None,
                crm_adapter=settings.crm_adapter,
                bounce_domains=settings.bounce_domains,
                database=safe_url(settings.database_url),
            )
            if on_ready is not None:
                on_ready(listening)
            await stop.wait()
            log.info("shutting_down")
    finally:
        stop.set()
        for server in servers:
            server.close()
        for request_exit in admin_exit:
            request_exit()
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(processor.drain(), timeout=SHUTDOWN_GRACE_SECONDS)
        for server in servers:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), timeout=1.0)
        await engine.dispose()
        log.info("stopped")


@contextlib.contextmanager
def _signals(stop: asyncio.Event, enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # not the main thread / platform
            pass
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _task(coro: Coroutine[Any, Any, Any], name: str, hint: str = "") -> asyncio.Task[Any]:
    """A component's task; its failure is logged and leaves intake running."""

    async def guarded() -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # uvicorn calls sys.exit on bind errors
            log.error(
                "component_failed",
                component=name,
                error=f"{type(exc).__name__}: {exc}",
                hint=hint or None,
                intake="still running",
            )

    return asyncio.get_running_loop().create_task(guarded(), name=name)


async def _purge_periodically(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], stop: asyncio.Event
) -> None:
    """Retention, once an hour: raw bytes after raw_retention_days, delivered
    CRM events after outbox_retention_days (each only when set)."""
    while not stop.is_set():
        if settings.raw_retention_days > 0:
            try:
                async with sessionmaker() as session:
                    purged = await purge_raw(session, retention_cutoff(settings.raw_retention_days))
                    await session.commit()
                if purged:
                    log.info("raw_purged", messages=purged, days=settings.raw_retention_days)
            except Exception as exc:  # a busy or unavailable store: try again next hour
                log.error("raw_purge_failed", error=f"{type(exc).__name__}: {exc}")
        if settings.outbox_retention_days > 0:
            try:
                async with sessionmaker() as session:
                    events = await purge_delivered(
                        session, retention_cutoff(settings.outbox_retention_days)
                    )
                    await session.commit()
                if events:
                    log.info("outbox_purged", events=events, days=settings.outbox_retention_days)
            except Exception as exc:
                log.error("outbox_purge_failed", error=f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=RETENTION_INTERVAL_SECONDS)


def _crm_sync(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], stop: asyncio.Event
) -> Coroutine[Any, Any, Any] | None:
    try:
        from bounce_sink.crm.worker import run_sync
    except Exception as exc:
        log.error(
            "crm_sync_unavailable",
            crm_adapter=settings.crm_adapter,
            error=f"{type(exc).__name__}: {exc}",
            hint="results stay in the outbox; run `bounce-sink sync` once fixed",
        )
        return None
    return run_sync(settings, sessionmaker, follow=True, stop=stop)


def _admin_web(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    exits: list[Callable[[], None]],
) -> Coroutine[Any, Any, Any] | None:
    try:
        import uvicorn

        from bounce_sink.admin.web import create_app

        app = create_app(settings, sessionmaker)
    except Exception as exc:
        log.error(
            "admin_web_unavailable",
            error=f"{type(exc).__name__}: {exc}",
            hint="intake keeps running; use `bounce-sink dsn list` meanwhile",
        )
        return None

    class EmbeddedServer(uvicorn.Server):
        # serve() owns SIGINT/SIGTERM; uvicorn must not replace those handlers.
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    server = EmbeddedServer(
        uvicorn.Config(
            app,
            host=settings.admin_host,
            port=settings.admin_port,
            log_config=None,
            access_log=False,
            lifespan="off",
        )
    )

    def request_exit() -> None:
        server.should_exit = True

    exits.append(request_exit)
    return server.serve()
