"""The admin web: pages and a JSON API over the store, one Starlette app.

`create_app(settings, sessionmaker)` is what `serve` runs with uvicorn on the
application's own loop. Every page has a JSON twin under ``/api/`` that returns
the same read model (`bounce_sink.admin.queries`), so what a script sees is
what a person sees. The store is only read here; the one action (allowing bulk
email again) goes through the policy room, which audits it and tells the CRM.
"""

from __future__ import annotations

from importlib.resources import files

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from bounce_sink.admin import api, pages
from bounce_sink.admin.access import AccessGuard, CsrfSigner
from bounce_sink.admin.context import AdminContext, context_of
from bounce_sink.admin.rendering import make_environment
from bounce_sink.config import Settings
from bounce_sink.crm.inbound import inbound_routes


def _crm_routes(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> list[BaseRoute]:
    """The CRM room's inbound endpoint (address changes from the CRM), mounted under /api/crm."""
    return [Mount("/api/crm", routes=list(inbound_routes(settings, sessionmaker)))]


async def _stylesheet(request: Request) -> Response:
    return Response(
        context_of(request).stylesheet,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )


async def _no_icon(_request: Request) -> Response:
    return Response(status_code=204)


async def _home(_request: Request) -> Response:
    return RedirectResponse("/dsn", status_code=302)


def create_app(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Starlette:
    routes: list[BaseRoute] = [
        Route("/", _home),
        Route("/static/admin.css", _stylesheet),
        Route("/favicon.ico", _no_icon),
        Route("/dsn", pages.dsn_list),
        Route("/dsn/{message_id:int}", pages.dsn_detail),
        Route("/dsn/{message_id:int}/raw", pages.dsn_raw),
        Route("/contacts", pages.contact_search),
        Route("/contacts/allow", pages.contact_allow, methods=["POST"]),
        Route("/contacts/{address:path}", pages.contact_detail),
        Route("/incidents", pages.incidents),
        Route("/stats", pages.stats_page),
        Route("/health", pages.health_page),
        Route("/health/dead-letters/retry", pages.dead_letters_retry, methods=["POST"]),
        Route("/metrics", api.metrics),
        Route("/api/dsn", api.dsn_list),
        Route("/api/dsn/{message_id:int}", api.dsn_detail),
        Route("/api/contacts", api.contact_search),
        Route("/api/contacts/{address:path}", api.contact_detail),
        Route("/api/incidents", api.incidents),
        Route("/api/stats", api.stats),
        Route("/api/health", api.health),
        Route("/api/dead-letters", api.dead_letters),
        *_crm_routes(settings, sessionmaker),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(AccessGuard, token=settings.admin_token)],
        exception_handlers={404: pages.not_found},
    )
    app.state.admin = AdminContext(
        settings=settings,
        sessionmaker=sessionmaker,
        templates=make_environment(),
        csrf=CsrfSigner(settings.admin_token),
        stylesheet=files("bounce_sink.admin").joinpath("static/admin.css").read_bytes(),
    )
    return app
