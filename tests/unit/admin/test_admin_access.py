"""Who gets in, and which forms count as the admin's own."""

from __future__ import annotations

import base64

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bounce_sink.admin.access import (
    AccessGuard,
    CsrfSigner,
    caller_from_authorization,
    is_loopback,
    same_origin,
)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer tok3n", "admin:token"),
        ("bearer   tok3n  ", "admin:token"),
        ("Bearer tok3n-not", None),
        ("Bearer ", None),
        (_basic("alice", "tok3n"), "admin:alice"),
        (_basic("", "tok3n"), "admin:web"),
        (_basic("alice", "wrong"), None),
        ("Basic !!!not-base64", None),
        ("Basic " + base64.b64encode(b"no-colon").decode(), None),
        ("Digest tok3n", None),
        ("", None),
    ],
)
def test_caller_from_authorization(header: str, expected: str | None) -> None:
    caller = caller_from_authorization(header, "tok3n")
    assert (caller.actor if caller else None) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        ("10.0.0.1", False),
        ("203.0.113.9", False),
        ("::ffff:203.0.113.9", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback(host: str | None, expected: bool) -> None:
    assert is_loopback(host) is expected


@pytest.mark.parametrize(
    ("origin", "host", "expected"),
    [
        ("", "127.0.0.1:8080", True),
        ("http://127.0.0.1:8080", "127.0.0.1:8080", True),
        ("http://127.0.0.1:8080/contacts/x", "127.0.0.1:8080", True),
        ("http://evil.example.org", "127.0.0.1:8080", False),
        ("http://127.0.0.1:9999", "127.0.0.1:8080", False),
        ("null", "127.0.0.1:8080", False),
    ],
)
def test_same_origin(origin: str, host: str, expected: bool) -> None:
    assert same_origin(origin, host) is expected


def test_csrf_tokens_bind_the_action_and_the_key() -> None:
    shared_a, shared_b = CsrfSigner("tok3n"), CsrfSigner("tok3n")
    assert shared_a.token("contact.allow") == shared_b.token("contact.allow")
    assert shared_b.check("contact.allow", shared_a.token("contact.allow"))
    assert not shared_a.check("contact.other", shared_a.token("contact.allow"))
    assert not CsrfSigner("other").check("contact.allow", shared_a.token("contact.allow"))
    # Without an admin token each process has its own random key.
    assert CsrfSigner("").token("contact.allow") != CsrfSigner("").token("contact.allow")


async def _whoami(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.scope["state"]["caller"].actor)


async def _crm(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("crm decides", status_code=418)


def _client(
    token: str, client_host: str, base_url: str = "http://127.0.0.1:8080"
) -> httpx.AsyncClient:
    app = AccessGuard(
        Starlette(
            routes=[Route("/dsn", _whoami), Route("/api/dsn", _whoami), Route("/api/crm/x", _crm)]
        ),
        token=token,
    )
    transport = httpx.ASGITransport(app=app, client=(client_host, 40000))
    return httpx.AsyncClient(transport=transport, base_url=base_url)


async def test_without_token_only_loopback_gets_in() -> None:
    async with _client("", "127.0.0.1") as local:
        response = await local.get("/dsn")
        assert response.status_code == 200 and response.text == "admin:local"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
    async with _client("", "203.0.113.9") as remote:
        page = await remote.get("/dsn")
        assert page.status_code == 403 and "admin_token" in page.text
        api = await remote.get("/api/dsn")
        assert api.status_code == 403 and "admin_token" in api.json()["error"]


async def test_with_token_everyone_must_show_it() -> None:
    async with _client("tok3n", "127.0.0.1") as local:
        assert (await local.get("/dsn")).status_code == 401
        ok = await local.get("/dsn", headers={"Authorization": _basic("bob", "tok3n")})
        assert ok.text == "admin:bob"
    async with _client("tok3n", "203.0.113.9") as remote:
        ok = await remote.get("/api/dsn", headers={"Authorization": "Bearer tok3n"})
        assert ok.status_code == 200 and ok.text == "admin:token"


async def test_crm_inbound_authenticates_itself() -> None:
    async with _client("tok3n", "203.0.113.9") as remote:
        assert (await remote.get("/api/crm/x")).status_code == 418


@pytest.mark.parametrize(
    ("base_url", "status"),
    [
        ("http://127.0.0.1:8080", 200),
        ("http://localhost:8080", 200),
        ("http://[::1]:8080", 200),
        ("http://localhost", 200),
        ("http://rebound.example.org:8080", 421),
        ("http://127.0.0.1.example.org:8080", 421),
    ],
)
async def test_without_token_a_rebound_host_name_is_refused(base_url: str, status: int) -> None:
    async with _client("", "127.0.0.1", base_url=base_url) as local:
        assert (await local.get("/dsn")).status_code == status


async def test_with_token_any_host_name_is_fine() -> None:
    async with _client("tok3n", "127.0.0.1", base_url="http://admin.example.org") as c:
        ok = await c.get("/dsn", headers={"Authorization": "Bearer tok3n"})
        assert ok.status_code == 200
