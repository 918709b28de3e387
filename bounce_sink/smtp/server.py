"""SMTP and LMTP servers on the caller's own event loop.

Not aiosmtpd's threaded Controller: one loop owns the SQLAlchemy async engine,
the servers and the processing tasks, so nothing crosses threads.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.smtp import replies
from bounce_sink.smtp.handler import IntakeHandler, OnStored, log, peer_text
from bounce_sink.smtp.recipients import RecipientPolicy
from bounce_sink.store.messages import GroupCommitWriter


def _size_reply(protocol: SMTP, status: Any, per_recipient: bool) -> Any:
    """aiosmtpd says "552 Error: …" without an enhanced code; say 552 5.3.4 instead.

    aiosmtpd refuses oversized mail itself, before the handler sees it, so the
    per-message log line for that outcome is written here.
    """
    if not (isinstance(status, str) and status.startswith("552 Error")):
        return status
    envelope = protocol.envelope
    session = protocol.session
    log.warning(
        "message_refused_too_big",
        peer=peer_text(session.peer if session is not None else ""),
        limit=protocol.data_size_limit,
        mail_from=getattr(envelope, "mail_from", None) or "",
        outcome="552",
    )
    count = len(envelope.rcpt_tos) if per_recipient and envelope is not None else 1
    return "\r\n".join([replies.TOO_BIG] * max(1, count))


# RFC 5321 allows 1000-octet lines, and aiosmtpd answers a longer one with a
# permanent 500, which makes the reporting MTA drop the bounce. Badly behaved
# MTAs do send long lines in returned originals; accept them.
LINE_LENGTH_LIMIT = 256 * 1024


class _IntakeSMTP(SMTP):
    line_length_limit = LINE_LENGTH_LIMIT

    async def push(self, status: Any) -> None:
        await super().push(_size_reply(self, status, per_recipient=False))


class _IntakeLMTP(LMTP):
    line_length_limit = LINE_LENGTH_LIMIT

    async def push(self, status: Any) -> None:
        # After DATA, LMTP owes one reply per accepted recipient, refusals included.
        await super().push(_size_reply(self, status, per_recipient=True))


def _fresh_socket_path(name: str) -> str:
    """A stale socket file from a previous run would make bind() fail."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return str(path)


def _let_local_mta_connect(path: str) -> None:
    """Postfix's lmtp client runs as its own user and needs write permission on the socket.

    Any local user could reach 127.0.0.1:2525 as well, so this opens nothing new.
    """
    os.chmod(path, 0o666)


def _protocol_factory(
    protocol: type[_IntakeSMTP] | type[_IntakeLMTP],
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    on_stored: OnStored | None,
    writer: GroupCommitWriter | None,
) -> Callable[[], SMTP]:
    """One handler for the listener, one protocol object per connection, same limits for both."""
    loop = asyncio.get_running_loop()
    handler = IntakeHandler(
        RecipientPolicy(settings.bounce_domains, settings.bounce_local_part),
        sessionmaker,
        store_limit=settings.store_limit,
        lmtp=protocol is _IntakeLMTP,
        on_stored=on_stored,
        writer=writer,
    )
    hostname = socket.gethostname()

    def factory() -> SMTP:
        return protocol(
            handler,
            data_size_limit=settings.max_message_size,
            enable_SMTPUTF8=True,
            hostname=hostname,
            ident="bounce-sink",
            loop=loop,
        )

    return factory


async def start_smtp_server(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    on_stored: OnStored | None = None,
    host: str | None = None,
    port: int | None = None,
    writer: GroupCommitWriter | None = None,
) -> asyncio.Server:
    """Listen for SMTP on settings.smtp_host:smtp_port (port 0: any free port).

    Pass the same `writer` to the SMTP and LMTP servers so that all intake
    shares one group-committing writer.
    """
    factory = _protocol_factory(_IntakeSMTP, settings, sessionmaker, on_stored, writer)
    return await asyncio.get_running_loop().create_server(
        factory,
        host=host if host is not None else settings.smtp_host,
        port=port if port is not None else settings.smtp_port,
    )


async def start_lmtp_server(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    on_stored: OnStored | None = None,
    host: str | None = None,
    port: int | None = None,
    writer: GroupCommitWriter | None = None,
) -> asyncio.Server:
    """Listen for LMTP on settings.lmtp_socket if set, else lmtp_host:lmtp_port."""
    loop = asyncio.get_running_loop()
    factory = _protocol_factory(_IntakeLMTP, settings, sessionmaker, on_stored, writer)
    if settings.lmtp_socket and host is None and port is None:
        path = _fresh_socket_path(settings.lmtp_socket)
        server = await loop.create_unix_server(factory, path=path)
        _let_local_mta_connect(path)
        return server
    return await loop.create_server(
        factory,
        host=host if host is not None else settings.lmtp_host,
        port=port if port is not None else settings.lmtp_port,
    )


def bound_port(server: asyncio.Server) -> int:
    """The TCP port a server listens on (useful after asking for port 0)."""
    return int(server.sockets[0].getsockname()[1])
