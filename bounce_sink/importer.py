"""Old bounces from an mbox file or a Maildir into the store, then through processing.

Messages are committed in batches (group commit: one fsync per batch), and a
message whose bytes are already stored (same sha256) is skipped, so an import
can be re-run after an interruption without doubling anything.
"""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.config import Settings
from bounce_sink.processing import Processor
from bounce_sink.store.messages import Envelope, save_raw
from bounce_sink.store.models import Message

BATCH = 100


@dataclass
class ImportResult:
    """What an import did, for the summary line and `--json`."""

    path: str
    format: str
    seen: int = 0
    stored: int = 0
    skipped_duplicates: int = 0
    states: dict[str, int] = field(default_factory=dict)


def open_mailbox(path: Path) -> tuple[str, mailbox.Mailbox[mailbox.Message]]:
    """A Maildir is a directory with cur/ and new/; anything else readable is an mbox."""
    if path.is_dir():
        if not ((path / "cur").is_dir() and (path / "new").is_dir()):
            raise ValueError(f"{path} is a directory but not a Maildir (no cur/ and new/)")
        return "maildir", mailbox.Maildir(path, factory=None, create=False)
    return "mbox", mailbox.mbox(path, factory=None, create=False)


def count_messages(box: mailbox.Mailbox[mailbox.Message]) -> int:
    return sum(1 for _ in box.iterkeys())


def _raw_messages(box: mailbox.Mailbox[mailbox.Message]) -> Iterator[bytes]:
    for key in box.iterkeys():
        yield box.get_bytes(key)


async def import_mailbox(
    path: Path,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Store every message of the mailbox and process them; `progress(n)` after each batch."""
    fmt, box = open_mailbox(path)
    result = ImportResult(path=str(path), format=fmt)
    processor = Processor(settings, sessionmaker)
    envelope = Envelope(source="import", peer=f"import:{path.name}")
    batch: list[bytes] = []

    async def flush() -> None:
        async with sessionmaker() as session:
            # Hashed once per message: for the duplicate check and for the row itself.
            digests = [_sha(raw) for raw in batch]
            known = set(
                (
                    await session.execute(
                        select(Message.sha256).where(Message.sha256.in_(set(digests)))
                    )
                ).scalars()
            )
            new: list[Message] = []
            for raw, digest in zip(batch, digests, strict=True):
                if digest in known:
                    result.skipped_duplicates += 1
                    continue
                known.add(digest)
                new.append(
                    save_raw(
                        session, raw, envelope, store_limit=settings.store_limit, sha256=digest
                    )
                )
            await session.commit()
        for message in new:
            processor.submit(message.id)
        await processor.drain()
        if new:
            async with sessionmaker() as session:
                rows = await session.execute(
                    select(Message.state, func.count())
                    .where(Message.id.in_([m.id for m in new]))
                    .group_by(Message.state)
                )
                for state, count in rows.all():
                    result.states[state] = result.states.get(state, 0) + int(count)
        result.stored += len(new)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    try:
        for raw in _raw_messages(box):
            result.seen += 1
            batch.append(raw)
            if len(batch) >= BATCH:
                await flush()
        if batch:
            await flush()
    finally:
        box.close()
    return result


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
