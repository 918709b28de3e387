"""Who may see the admin pages and API, and how a form proves it came from them.

Two modes, chosen by ``settings.admin_token``:

* no token (the default): the admin is open, but only to loopback clients
  that name a loopback host (so neither another machine nor a web page using
  DNS rebinding gets in): a sink started with no configuration shows its data
  to the machine it runs on and to nobody else;
* a token: every request must carry it, as ``Authorization: Bearer TOKEN``
  (scripts, the JSON API, Prometheus) or as the password of HTTP basic auth
  (a browser: it prompts once and remembers it). The user name of basic auth
  is free and becomes the actor of admin actions (``admin:NAME``).

The CRM's inbound endpoint under ``/api/crm`` authenticates itself (it may use
its own token) and is passed through untouched.

Browsers send basic credentials on their own, so a state-changing form also
carries a CSRF token: an HMAC of the action under a key that only this
process (or every node sharing the admin token) knows, checked together with
the Origin header. Pages also get a strict Content-Security-Policy that allows
no script at all: message text is escaped, and if it ever were not, the
browser would still refuse to run it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CRM_PREFIX = "/api/crm"
REALM = "bounce-sink admin"
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)


@dataclass(frozen=True)
class Caller:
    """Who is calling, as far as the admin can tell; stored in ``scope["state"]``."""

    name: str

    @property
    def actor(self) -> str:
        return f"admin:{self.name}"


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host == "localhost"


def host_name(host_header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


def caller_from_authorization(header: str, token: str) -> Caller | None:
    """The caller named by an Authorization header carrying `token`, else None."""
    scheme, _, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        if hmac.compare_digest(credentials.encode(), token.encode()):
            return Caller("token")
        return None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        if sep and hmac.compare_digest(password.encode(), token.encode()):
            return Caller(user.strip() or "web")
        return None
    return None


class AccessGuard:
    """ASGI middleware: authenticate, then add the security headers to every answer."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if path == CRM_PREFIX or path.startswith(CRM_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        is_api = path.startswith("/api/") or path == "/metrics"
        if self.token:
            caller = caller_from_authorization(_header(scope, b"authorization"), self.token)
            if caller is None:
                await self._deny(send, is_api, 401)
                return
        else:
            client = scope.get("client")
            if not is_loopback(client[0] if client else None):
                await self._deny(send, is_api, 403)
                return
            if not is_loopback(host_name(_header(scope, b"host"))):
                # DNS rebinding: a web page whose name now points at 127.0.0.1
                # would otherwise read an open admin through the browser.
                await self._deny(send, is_api, 421)
                return
            caller = Caller("local")
        scope.setdefault("state", {})["caller"] = caller

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(k).lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _deny(self, send: Send, is_api: bool, status: int) -> None:
        if status == 421:
            text = "Without an admin_token the admin answers only to a loopback host name (127.0.0.1, localhost)."
            challenge = b""
        elif status == 401:
            text = "This admin needs the admin token."
            challenge = b"Bearer" if is_api else f'Basic realm="{REALM}", charset="UTF-8"'.encode()
        else:
            text = "Without an admin_token the admin answers only on loopback. Set admin_token to open it."
            challenge = b""
        if is_api:
            body = json.dumps({"error": text}).encode()
            ctype = b"application/json"
        else:
            body = text.encode()
            ctype = b"text/plain; charset=utf-8"
        headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
        if challenge:
            headers.append((b"www-authenticate", challenge))
        headers.extend(SECURITY_HEADERS)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class CsrfSigner:
    """Tokens that bind a form to an action; only pages of this admin can read them.

    With an admin token the key is derived from it, so every sink node behind
    one load balancer accepts the others' forms; without one a fresh random key
    per process is enough (a restart only means reloading the page).
    """

    def __init__(self, admin_token: str) -> None:
        if admin_token:
            self._key = hashlib.sha256(b"bounce-sink csrf\0" + admin_token.encode()).digest()
        else:
            self._key = secrets.token_bytes(32)

    def token(self, action: str) -> str:
        return hmac.new(self._key, action.encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self, action: str, presented: str) -> bool:
        return hmac.compare_digest(self.token(action), presented)


def same_origin(origin: str, host: str) -> bool:
    """True when an Origin (or Referer) header names the host the request went to.

    Browsers send Origin on every cross-site POST; an absent header (old
    browsers, curl) is accepted because the CSRF token is checked anyway.
    """
    if not origin:
        return True
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == host.lower()
