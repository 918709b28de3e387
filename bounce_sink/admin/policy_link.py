"""The admin's one write: "allow bulk email again", carried out by the policy room.

The admin never edits a contact itself: the policy room owns the rule (what
an allow means for the person and the address), the audit entry and the
outbox event for the CRM, all in one transaction that the caller commits.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def allow_again(session: AsyncSession, address: str, *, why: str, actor: str) -> bool:
    """Allow bulk email for `address` again; False when nothing needed changing.

    Raises LookupError when no contact has the address.
    """
    from bounce_sink.policy import allow_contact

    change = await allow_contact(session, address, why=why, actor=actor)
    return change is not None
