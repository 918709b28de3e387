"""An address change coming from the CRM, applied through the policy room.

Both ways in (the HTTP endpoint in `inbound` and `bounce-sink crm
address-change`) end here, so they validate and audit alike. The policy
decides what a new address means (DESIGN.md: bulk email allowed again for the
person, the old address stays suppressed); this room only carries the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.policy.addresses import crm_person_id_problem, entered_address_problem

log = structlog.get_logger("bounce_sink.crm.address_change")


class AddressChangeRejected(ValueError):
    """The request cannot be applied as given; the message says why."""


@dataclass(frozen=True)
class AddressChange:
    person_id: str
    address: str

    @classmethod
    def checked(cls, person_id: object, address: object) -> AddressChange:
        if not isinstance(person_id, str) or not person_id.strip():
            raise AddressChangeRejected(
                "person_id must be a non-empty string (the CRM's person id)"
            )
        if not isinstance(address, str) or not address.strip():
            raise AddressChangeRejected("address must be a non-empty string")
        # The same checks as every other way in (policy.addresses).
        problem = crm_person_id_problem(person_id) or entered_address_problem(address)
        if problem:
            raise AddressChangeRejected(problem)
        return cls(person_id.strip(), address.strip())


async def apply_address_change(
    sessionmaker: async_sessionmaker[AsyncSession], change: AddressChange, actor: str
) -> dict[str, Any]:
    """Set the person's address in one transaction (the policy writes audit and outbox rows in it).

    Returns what the CRM may want to show back: the normalised address,
    whether it was new, and the address's and the person's bulk email after.
    """
    from bounce_sink.policy import set_person_address

    async with sessionmaker() as session, session.begin():
        try:
            done = await set_person_address(session, change.person_id, change.address, actor)
        except ValueError as exc:
            raise AddressChangeRejected(str(exc)) from exc
    log.info(
        "crm.inbound.address_change",
        person_id=change.person_id,
        address=done.address,
        created=done.created,
        person_bulk_email=done.person_bulk_email,
        actor=actor,
    )
    return done.as_json(change.person_id)
