"""Raw messages as received: the one write intake makes before it answers 250.

A 250 always means "committed" (WAL, synchronous=FULL). Speed under load comes
from group commit (`GroupCommitWriter`): messages that arrive while a commit
is running are written together in the next one, one fsync for all of them,
and each sender gets its answer only after that commit.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.store.models import Message

SOURCES = ("smtp", "lmtp", "ingest", "import")


@dataclass(frozen=True)
class Envelope:
    """What the sending MTA told us besides the bytes: who, from where, when."""

    source: str
    mail_from: str = ""
    rcpt_tos: Sequence[str] = field(default_factory=tuple)
    peer: str = ""
    helo: str = ""
    received_at: datetime | None = None


def save_raw(
    session: AsyncSession,
    raw: bytes,
    envelope: Envelope,
    *,
    store_limit: int,
    sha256: str | None = None,
) -> Message:
    """Add a pending message to the session; the caller commits.

    The sha256 and size are of the bytes as received, so a truncated copy can
    still be matched to the original; a caller that already hashed `raw` (the
    importer's duplicate check) passes the hex digest. Past `store_limit` only
    the first bytes are kept: the DSN parts come first in a multipart/report,
    the returned original (often with large attachments) last.
    """
    if envelope.source not in SOURCES:
        raise ValueError(f"unknown message source {envelope.source!r}")
    truncated = 0 < store_limit < len(raw)
    message = Message(
        received_at=envelope.received_at or datetime.now(UTC),
        sha256=sha256 or hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        raw=raw[:store_limit] if truncated else raw,
        raw_truncated=truncated,
        source=envelope.source,
        peer=envelope.peer[:255],
        helo=envelope.helo[:255],
        mail_from=envelope.mail_from[:512],
        rcpt_tos=list(envelope.rcpt_tos),
        state="pending",
        error="",
    )
    session.add(message)
    return message


async def store_message(
    sessionmaker: async_sessionmaker[AsyncSession],
    raw: bytes,
    envelope: Envelope,
    *,
    store_limit: int,
) -> int:
    """Commit one message in its own transaction and return its id (durable on return)."""
    sha256 = await digest(raw)
    async with sessionmaker() as session:
        message = save_raw(session, raw, envelope, store_limit=store_limit, sha256=sha256)
        await session.commit()
        return message.id


async def pending_message_ids(session: AsyncSession, limit: int = 500) -> list[int]:
    """Oldest first, so a backlog is worked off in arrival order."""
    result = await session.execute(
        select(Message.id).where(Message.state == "pending").order_by(Message.id).limit(limit)
    )
    return list(result.scalars())


# Above this size the digest is computed in a worker thread (hashlib releases the
# GIL): hashing a 50 MiB bounce takes ~100 ms, which on the event loop would
# stall every other SMTP session for that long.
HASH_IN_THREAD_FROM = 1 << 20

# raw bytes, envelope, sha256 hex digest of the raw bytes, the sender's future
_Queued = tuple[bytes, Envelope, str, "asyncio.Future[int]"]


async def digest(raw: bytes) -> str:
    """The sha256 of `raw`, off the event loop when it is large."""
    if len(raw) < HASH_IN_THREAD_FROM:
        return hashlib.sha256(raw).hexdigest()
    return await asyncio.to_thread(lambda: hashlib.sha256(raw).hexdigest())


class GroupCommitWriter:
    """Stores messages for many concurrent SMTP sessions with one writer and few commits.

    One writer also means no two intake sessions wait on SQLite's write lock.
    If a batch fails, each message is retried on its own, so one bad message
    cannot make the others' senders retry; a message that still fails raises
    to its caller (who answers 451).
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        store_limit: int,
        max_batch: int = 64,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._store_limit = store_limit
        self._max_batch = max(1, max_batch)
        self._queue: list[_Queued] = []
        self._task: asyncio.Task[None] | None = None
        self.commits = 0  # for tests and metrics: how many transactions were needed

    async def store(self, raw: bytes, envelope: Envelope) -> int:
        """Return the message id once the message is committed."""
        sha256 = await digest(raw)
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        # A sender that hung up no longer awaits its future; mark a failure as seen.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._queue.append((raw, envelope, sha256, future))
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            try:
                ids = await self._commit(batch)
            except Exception as exc:
                if len(batch) == 1:
                    _settle(batch[0][3], exc)
                    continue
                for item in batch:
                    try:
                        (one,) = await self._commit([item])
                    except Exception as single_exc:
                        _settle(item[3], single_exc)
                    else:
                        _settle(item[3], one)
                continue
            for (_, _, _, future), message_id in zip(batch, ids, strict=True):
                _settle(future, message_id)

    async def _commit(self, batch: list[_Queued]) -> list[int]:
        async with self._sessionmaker() as session:
            messages = [
                save_raw(session, raw, envelope, store_limit=self._store_limit, sha256=sha256)
                for raw, envelope, sha256, _ in batch
            ]
            await session.commit()
        self.commits += 1
        return [m.id for m in messages]


def _settle(future: asyncio.Future[int], outcome: int | BaseException) -> None:
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
