"""What every admin handler needs, kept on ``app.state.admin`` by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request

from bounce_sink.admin.access import CsrfSigner
from bounce_sink.config import Settings


@dataclass(frozen=True)
class AdminContext:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    templates: Environment
    csrf: CsrfSigner
    stylesheet: bytes


def context_of(request: Request) -> AdminContext:
    ctx: AdminContext = request.app.state.admin
    return ctx


def caller_actor(request: Request) -> str:
    """``admin:NAME`` of the authenticated caller, for the audit trail."""
    caller: Any = request.scope.get("state", {}).get("caller")
    return str(getattr(caller, "actor", "admin:unknown"))
