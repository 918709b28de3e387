"""The adapter interface: what a CRM must offer so the worker can drain the outbox to it.

A new CRM is one module with one class that satisfies `CrmAdapter` and an entry
in `adapters.ADAPTERS`. Adapters know nothing about the store: they get plain
`OutboundEvent`s and answer one `DeliveryResult` per event, and the worker
turns those into retries, dead letters or delivered rows. That keeps the
retry policy in one place (`worker`) and the CRM's quirks in one place each.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Outcome(enum.Enum):
    """What became of one event at the CRM."""

    DELIVERED = "delivered"  # the CRM has it (or had it already: idempotent)
    RETRY = "retry"  # transient: timeout, connection error, 5xx, 408, 429, auth to refresh
    DEAD = "dead"  # permanent: the CRM refused this event; an admin must look


@dataclass(frozen=True)
class OutboundEvent:
    """An outbox row as an adapter sees it: no ORM, no session."""

    id: int
    event_id: str
    type: str
    ordering_key: str
    payload: dict[str, Any]
    attempts: int = 0


@dataclass(frozen=True)
class DeliveryResult:
    event_id: str
    outcome: Outcome
    error: str = ""
    # seconds the CRM asked us to wait (Retry-After), when it said so
    retry_after: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def delivered(cls, event_id: str) -> DeliveryResult:
        return cls(event_id, Outcome.DELIVERED)

    @classmethod
    def retry(cls, event_id: str, error: str, retry_after: float | None = None) -> DeliveryResult:
        return cls(event_id, Outcome.RETRY, error, retry_after)

    @classmethod
    def dead(cls, event_id: str, error: str) -> DeliveryResult:
        return cls(event_id, Outcome.DEAD, error)


class CrmAdapter(Protocol):
    """Deliver a batch; one result per event, in any order.

    Events of one batch never share an ordering key (the worker sends at most
    one pending event per contact at a time), so an adapter may deliver them
    concurrently or in one request. An adapter should not raise for a CRM
    failure: it answers RETRY or DEAD. If it raises anyway, the worker treats
    the whole batch as RETRY.
    """

    name: str

    async def deliver(self, batch: Sequence[OutboundEvent]) -> list[DeliveryResult]: ...

    async def aclose(self) -> None: ...
