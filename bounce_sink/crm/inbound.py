"""The inbound CRM endpoint: the CRM tells the sink about new addresses and person ids.

Mounted by the admin web under `/api/crm/`:

    POST /api/crm/address-change
    Authorization: Bearer <crm_inbound_token, or admin_token when that is empty>
    {"person_id": "<the CRM's person id>", "address": "new@example.com"}

Answers 200 `{"ok": true, "person_id", "address", "created", "bulk_email",
"person_bulk_email"}`, 400 for a malformed request, 401 for a
missing or wrong token, 403 when no token is configured at all: this
endpoint changes who gets mail, so it is never open, even on loopback.
"""

from __future__ import annotations

import hmac
import json

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bounce_sink.config import Settings
from bounce_sink.crm.address_change import (
    AddressChange,
    AddressChangeRejected,
    apply_address_change,
)

MAX_BODY = 64 * 1024


def inbound_token(settings: Settings) -> str:
    return settings.crm_inbound_token or settings.admin_token


def _authorised(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def _error(status: int, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="bounce-sink crm"'} if status == 401 else None
    return JSONResponse({"ok": False, "error": message}, status_code=status, headers=headers)


def inbound_routes(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> list[Route]:
    async def address_change(request: Request) -> JSONResponse:
        token = inbound_token(settings)
        if not token:
            return _error(
                403, "inbound CRM endpoint disabled: set crm_inbound_token (or admin_token)"
            )
        if not _authorised(request, token):
            return _error(401, "missing or wrong Bearer token")
        body = await request.body()
        if len(body) > MAX_BODY:
            return _error(413, "request body too large")
        try:
            doc = json.loads(body)
        except ValueError:
            return _error(400, 'body must be JSON: {"person_id": ..., "address": ...}')
        if not isinstance(doc, dict):
            return _error(400, "body must be a JSON object")
        try:
            change = AddressChange.checked(doc.get("person_id"), doc.get("address"))
            done = await apply_address_change(sessionmaker, change, actor="crm")
        except AddressChangeRejected as exc:
            return _error(400, str(exc))
        return JSONResponse({"ok": True, **done})

    return [Route("/address-change", address_change, methods=["POST"])]
