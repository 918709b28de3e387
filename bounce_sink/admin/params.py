"""Reading filters from a query string the same way for pages and the JSON API."""

from __future__ import annotations

from starlette.requests import Request

from bounce_sink.admin.queries import DsnFilter


def int_param(request: Request, name: str, default: int) -> int:
    try:
        return int(request.query_params.get(name, default))
    except ValueError:
        return default


def dsn_filter(request: Request) -> DsnFilter:
    q = request.query_params
    return DsnFilter(
        state=q.get("state", ""),
        reason=q.get("reason", ""),
        severity=q.get("severity", ""),
        code=q.get("code", ""),
        address=q.get("address", ""),
        mailing=q.get("mailing", ""),
        page=int_param(request, "page", 1),
        per_page=int_param(request, "per_page", 50),
    ).normalised()
