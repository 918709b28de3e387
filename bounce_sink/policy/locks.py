"""Serialising policy work per address, so concurrent processing cannot race.

On SQLite the first write of a transaction takes the database's single write
lock, so two messages about one address are applied one after the other
already. On PostgreSQL (several sink nodes, or several workers of one) two
transactions could both see "no contact yet" and both create it, or both see
"no interaction with this dedupe key" for a DSN received twice. A
transaction-scoped advisory lock per address (and per receiving domain, for
incidents) makes the second wait for the first to commit; READ COMMITTED then
shows it what the first wrote. Keys are taken in sorted order so two messages
naming the same addresses cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bounce_sink.policy.addresses import domain_of, normalise_address

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


def address_keys(addresses: Iterable[str]) -> set[str]:
    """Lock keys for these addresses and their domains (case-folded, as contacts are matched)."""
    keys: set[str] = set()
    for raw in addresses:
        bare = normalise_address(raw).lower()
        if "@" in bare:
            keys.add(f"address:{bare}")
            keys.add(f"domain:{domain_of(bare)}")
    return keys


async def lock_addresses(session: AsyncSession, addresses: Iterable[str]) -> None:
    """Hold, until this transaction ends, the locks of these addresses (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(address_keys(addresses)):
        await session.execute(_LOCK, {"key": key})
