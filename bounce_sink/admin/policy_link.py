"""The admin's one write: "allow bulk email again", carried out by the policy room.

The admin never edits a contact itself: the policy room owns the rule (what
an allow means for the person and the address), the audit entry and the
outbox event for the CRM, all in one transaction. This module only finds that
function, lazily, so the admin works (without the button) while it is absent.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

AllowFunction = Callable[..., Awaitable[Any]]

# The policy room's public name for an admin reversal.
ALLOW_FUNCTION = ("bounce_sink.policy", "allow_contact")


def allow_function() -> AllowFunction | None:
    module_name, attribute = ALLOW_FUNCTION
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    found = getattr(module, attribute, None)
    return found if callable(found) else None


async def allow_again(session: AsyncSession, address: str, why: str, actor: str) -> None:
    """Allow bulk email for `address` again; the caller commits."""
    allow = allow_function()
    if allow is None:
        raise LookupError("the policy room provides no allow function")
    await allow(session, address, why=why, actor=actor)
