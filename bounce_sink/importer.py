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
from datetime import UTC, datetime
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


def _raw_messages(
    box: mailbox.Mailbox[mailbox.Message], now: datetime
) -> Iterator[tuple[bytes, datetime | None]]:
    """Each message's bytes and when the mailbox says it was delivered (None: unknown)."""
    for key in box.iterkeys():
        if isinstance(box, mailbox.mbox):
            raw = box.get_bytes(key, from_=True)
            from_line, _, raw = raw.partition(b"\n")
            yield raw, _plausible(mbox_delivered_at(from_line), now)
        else:
            yield box.get_bytes(key), _plausible(maildir_delivered_at(str(key)), now)


def mbox_delivered_at(from_line: bytes) -> datetime | None:
    """The time on an mbox "From " line (`From sender Thu Nov 26 10:00:00 2026`).

    The local delivery agent writes that line, not the sender, so it says
    when the bounce reached this mailbox. It is in the delivering host's
    local time, usually UTC on mail hosts; taken as UTC.
    """
    fields = from_line.decode("ascii", "replace").split()
    if len(fields) < 7 or fields[0] != "From":
        return None
    try:
        stamp = datetime.strptime(" ".join(fields[-5:]), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC)


def maildir_delivered_at(key: str) -> datetime | None:
    """The delivery time a Maildir file name starts with (`1764151200.M1P2.host`)."""
    head = key.split(".", 1)[0]
    if not head.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(head), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _plausible(when: datetime | None, now: datetime) -> datetime | None:
    """A delivery time in the future is a broken clock or a hand-made line: unknown."""
    return when if when is not None and when <= now else None


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
    peer = f"import:{path.name}"
    batch: list[tuple[bytes, datetime | None]] = []

    async def flush() -> None:
        async with sessionmaker() as session:
            # Hashed once per message: for the duplicate check and for the row itself.
            digests = [_sha(raw) for raw, _ in batch]
            known = set(
                (
                    await session.execute(
                        select(Message.sha256).where(Message.sha256.in_(set(digests)))
                    )
                ).scalars()
            )
            new: list[Message] = []
            for (raw, delivered_at), digest in zip(batch, digests, strict=True):
                if digest in known:
                    result.skipped_duplicates += 1
                    continue
                known.add(digest)
                # Received when the mailbox got it, not now: a signed return
                # path is judged on the day the bounce came back, so importing
                # last year's bounces does not quarantine them as expired.
                envelope = Envelope(source="import", peer=peer, received_at=delivered_at)
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
        for raw, delivered_at in _raw_messages(box, datetime.now(UTC)):
            result.seen += 1
            batch.append((raw, delivered_at))
            if len(batch) >= BATCH:
                await flush()
        if batch:
            await flush()
    finally:
        box.close()
    return result


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
