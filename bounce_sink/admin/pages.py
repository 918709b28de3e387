"""The HTML pages. Each reads one read model and renders one template."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import structlog
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bounce_sink.admin import queries
from bounce_sink.admin.access import same_origin
from bounce_sink.admin.context import caller_actor, context_of
from bounce_sink.admin.outbox_status import (
    read_dead_letters,
    read_outbox_status,
    retry_dead_letters,
)
from bounce_sink.admin.params import dsn_filter, int_param
from bounce_sink.admin.policy_link import allow_again
from bounce_sink.admin.rendering import address_path
from bounce_sink.classify.taxonomy import ALL_REASONS
from bounce_sink.store.states import MESSAGE_STATES

log = structlog.get_logger(__name__)

# The raw source shown inline; the download link always gives all of it.
RAW_DISPLAY_LIMIT = 256 * 1024
ALLOW_ACTION = "contact.allow"
RETRY_ACTION = "outbox.retry"
MAX_FORM_BYTES = 16 * 1024


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    ctx = context_of(request)
    html = ctx.templates.get_template(template).render(
        request_path=request.url.path, actor=caller_actor(request), **values
    )
    return HTMLResponse(html, status_code=status_code)


async def not_found(request: Request, exc: Exception) -> Response:
    detail = getattr(exc, "detail", "Not found")
    if request.url.path.startswith("/api/"):
        from starlette.responses import JSONResponse

        return JSONResponse({"error": detail}, status_code=404)
    return render(request, "error.html", status_code=404, title="Not found", message=detail)


async def dsn_list(request: Request) -> Response:
    flt = dsn_filter(request)
    async with context_of(request).sessionmaker() as session:
        page = await queries.list_dsns(session, flt)
    params = {k: v for k, v in vars(flt).items() if k not in ("page", "per_page")}
    return render(
        request,
        "dsn_list.html",
        title="Bounces",
        page=page,
        params=params,
        states=MESSAGE_STATES,
        severities=queries.SEVERITIES,
        codes=queries.CODES,
        reasons=sorted(ALL_REASONS),
    )


async def dsn_detail(request: Request) -> Response:
    message_id: int = request.path_params["message_id"]
    async with context_of(request).sessionmaker() as session:
        detail = await queries.get_dsn(session, message_id)
        raw = await queries.get_raw(session, message_id, limit=RAW_DISPLAY_LIMIT + 1)
    if detail is None:
        raise HTTPException(404, f"No message {message_id}.")
    shown = raw[:RAW_DISPLAY_LIMIT] if raw is not None else None
    return render(
        request,
        "dsn_detail.html",
        title=f"Message {message_id}",
        dsn=detail,
        raw_text=shown.decode("utf-8", errors="replace") if shown is not None else None,
        raw_cut=raw is not None and len(raw) > RAW_DISPLAY_LIMIT,
        raw_display_limit=RAW_DISPLAY_LIMIT,
    )


async def dsn_raw(request: Request) -> Response:
    """The stored bytes as a download, never rendered by the browser."""
    message_id: int = request.path_params["message_id"]
    async with context_of(request).sessionmaker() as session:
        raw = await queries.get_raw(session, message_id)
    if raw is None:
        raise HTTPException(404, f"No stored source for message {message_id}.")
    return Response(
        raw,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="dsn-{message_id}.eml"'},
    )


async def contact_search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    bulk = request.query_params.get("bulk_email", "")
    async with context_of(request).sessionmaker() as session:
        rows = await queries.search_contacts(
            session, q, bulk_email=bulk, limit=int_param(request, "limit", 100)
        )
    return render(request, "contacts.html", title="Contacts", q=q, bulk_email=bulk, rows=rows)


async def contact_detail(request: Request) -> Response:
    address: str = request.path_params["address"]
    ctx = context_of(request)
    async with ctx.sessionmaker() as session:
        contact = await queries.get_contact(session, address)
    if contact is None:
        raise HTTPException(404, f"No contact {address}.")
    return render(
        request,
        "contact_detail.html",
        title=contact.address,
        contact=contact,
        csrf_token=ctx.csrf.token(ALLOW_ACTION),
        notice=request.query_params.get("notice", ""),
    )


async def _checked_form(request: Request, action: str) -> dict[str, str]:
    """The posted form, once it has proved it came from this admin's own page."""
    origin = request.headers.get("origin") or request.headers.get("referer", "")
    if not same_origin(origin, request.headers.get("host", "")):
        raise HTTPException(403, "Cross-site form submission refused.")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(413, "Form too large.")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace")).items()}
    if not context_of(request).csrf.check(action, form.get("csrf", "")):
        raise HTTPException(
            403, "The form expired or did not come from this admin; reload the page."
        )
    return form


async def contact_allow(request: Request) -> Response:
    """POST only, with a CSRF token and a same-origin check: allow bulk email again."""
    ctx = context_of(request)
    form = await _checked_form(request, ALLOW_ACTION)
    address = form.get("address", "").strip()
    why = form.get("why", "").strip()
    if not address or not why:
        raise HTTPException(400, "An address and a reason are both required.")
    actor = caller_actor(request)
    async with ctx.sessionmaker() as session, session.begin():
        try:
            changed = await allow_again(session, address, why=why, actor=actor)
        except LookupError as exc:
            raise HTTPException(404, f"No contact {address}.") from exc
    log.info("admin.contact_allowed", address=address, actor=actor, why=why, changed=changed)
    notice = "allowed" if changed else "unchanged"
    return RedirectResponse(f"/contacts/{address_path(address)}?notice={notice}", status_code=303)


async def incidents(request: Request) -> Response:
    async with context_of(request).sessionmaker() as session:
        rows = await queries.list_incidents(session)
    return render(request, "incidents.html", title="Incidents", rows=rows)


async def stats_page(request: Request) -> Response:
    days = max(1, min(3650, int_param(request, "days", 30)))
    async with context_of(request).sessionmaker() as session:
        result = await queries.stats(session, days=days)
    return render(request, "stats.html", title="Statistics", stats=result, days=days)


async def health_page(request: Request) -> Response:
    ctx = context_of(request)
    async with ctx.sessionmaker() as session:
        outbox = await read_outbox_status(session)
        dead = await read_dead_letters(session)
        states = await queries.messages_by_state(session)
        open_incidents = await queries.count_open_incidents(session)
    return render(
        request,
        "health.html",
        title="Health",
        outbox=outbox,
        dead=dead,
        states=states,
        open_incidents=open_incidents,
        csrf_token=ctx.csrf.token(RETRY_ACTION),
        notice=request.query_params.get("notice", ""),
    )


async def dead_letters_retry(request: Request) -> Response:
    """POST only: send dead letters (one, or all) to the CRM again."""
    ctx = context_of(request)
    form = await _checked_form(request, RETRY_ACTION)
    if form.get("all") == "1":
        ids: list[int] | None = None
    else:
        try:
            ids = [int(form.get("id", ""))]
        except ValueError as exc:
            raise HTTPException(400, "Say which dead letter to retry.") from exc
    actor = caller_actor(request)
    async with ctx.sessionmaker() as session, session.begin():
        count = await retry_dead_letters(session, ids)
    log.info("admin.dead_letters_retried", count=count, ids=ids, actor=actor)
    return RedirectResponse(f"/health?notice=retried-{count}", status_code=303)
