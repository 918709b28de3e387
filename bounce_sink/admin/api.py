"""The JSON API: the same read models as the pages, as JSON, for scripts and checks."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bounce_sink.admin import queries
from bounce_sink.admin.context import context_of
from bounce_sink.admin.metrics import render_store_metrics
from bounce_sink.admin.outbox_status import (
    read_dead_letters,
    read_outbox_status,
    render_crm_metrics,
)
from bounce_sink.admin.params import dsn_filter, int_param
from bounce_sink.admin.rendering import dumps


def json_response(value: Any, status_code: int = 200) -> Response:
    return Response(dumps(value), status_code=status_code, media_type="application/json")


async def dsn_list(request: Request) -> Response:
    async with context_of(request).sessionmaker() as session:
        page = await queries.list_dsns(session, dsn_filter(request))
    return json_response(
        {
            "filter": page.filter,
            "total": page.total,
            "page": page.filter.page,
            "pages": page.pages,
            "items": page.rows,
        }
    )


async def dsn_detail(request: Request) -> Response:
    message_id: int = request.path_params["message_id"]
    include_raw = request.query_params.get("raw", "") in ("1", "true", "yes")
    async with context_of(request).sessionmaker() as session:
        detail = await queries.get_dsn(session, message_id)
        raw = await queries.get_raw(session, message_id) if include_raw else None
    if detail is None:
        raise HTTPException(404, f"No message {message_id}.")
    body: dict[str, Any] = {"dsn": detail, "raw_url": f"/dsn/{message_id}/raw"}
    if include_raw:
        body["raw"] = raw.decode("utf-8", errors="replace") if raw is not None else None
    return json_response(body)


async def contact_search(request: Request) -> Response:
    async with context_of(request).sessionmaker() as session:
        rows = await queries.search_contacts(
            session,
            request.query_params.get("q", ""),
            bulk_email=request.query_params.get("bulk_email", ""),
            limit=int_param(request, "limit", 100),
        )
    return json_response({"items": rows})


async def contact_detail(request: Request) -> Response:
    address: str = request.path_params["address"]
    async with context_of(request).sessionmaker() as session:
        contact = await queries.get_contact(session, address)
    if contact is None:
        raise HTTPException(404, f"No contact {address}.")
    return json_response(contact)


async def incidents(request: Request) -> Response:
    async with context_of(request).sessionmaker() as session:
        rows = await queries.list_incidents(session)
    return json_response({"items": rows})


async def stats(request: Request) -> Response:
    days = max(1, min(3650, int_param(request, "days", 30)))
    async with context_of(request).sessionmaker() as session:
        result = await queries.stats(session, days=days)
    return json_response(result)


async def health(request: Request) -> Response:
    async with context_of(request).sessionmaker() as session:
        outbox = await read_outbox_status(session)
        states = await queries.messages_by_state(session)
        open_incidents = await queries.count_open_incidents(session)
    return json_response(
        {
            "outbox": outbox.fields if outbox.available else None,
            "outbox_problem": outbox.problem or None,
            "messages_by_state": states,
            "open_incidents": open_incidents,
        }
    )


async def dead_letters(request: Request) -> Response:
    limit = max(1, min(1000, int_param(request, "limit", 100)))
    async with context_of(request).sessionmaker() as session:
        dead = await read_dead_letters(session, limit=limit)
    return json_response({"items": dead})


async def metrics(request: Request) -> Response:
    async with context_of(request).sessionmaker() as session:
        outbox = await read_outbox_status(session)
        text = render_store_metrics(
            await queries.messages_by_state(session),
            await queries.interactions_by_reason_code(session),
            await queries.count_open_incidents(session),
        )
    return PlainTextResponse(
        text + render_crm_metrics(outbox), media_type="text/plain; version=0.0.4; charset=utf-8"
    )
