"""Real HTTP receivers on 127.0.0.1 for the CRM sync tests (no tests here; imported by them).

A webhook receiver that verifies signatures and drops repeats by event_id, and
a Dataverse-shaped server (token endpoint, contacts, annotations, lists) that
checks each request against the shapes Microsoft documents and answers like
Dataverse does. Both run a stdlib ThreadingHTTPServer in a thread, so the
worker under test talks real HTTP over loopback.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.crm.outbox import enqueue
from bounce_sink.crm.signing import verify

# A plan answers, for the n-th request (1-based): None to accept, an int status
# to fail with, or ("hang", seconds) to sleep past the client's timeout first.
Plan = Callable[[int], Any]


def accept_all(_n: int) -> Any:
    return None


@dataclass
class WebhookReceiver:
    secret: str
    plan: Plan = accept_all
    retry_after: str | None = None
    hold_after_apply: float = 0.0  # sleep after applying, before answering (kill -9 window)
    requests: int = 0
    bad_signatures: int = 0
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)
    arrival: list[str] = field(default_factory=list)  # first arrivals, in order
    duplicates: int = 0
    idempotency_keys: list[str] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)  # event ids to refuse with 422
    applying: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", "0"))
        body = handler.rfile.read(length)
        with self.lock:
            self.requests += 1
            n = self.requests
        timestamp = handler.headers.get("X-Bounce-Sink-Timestamp", "")
        signature = handler.headers.get("X-Bounce-Sink-Signature", "")
        if not verify(self.secret, timestamp, body, signature):
            with self.lock:
                self.bad_signatures += 1
            _answer(handler, 401, {"error": "bad signature"})
            return
        decision = self.plan(n)
        if isinstance(decision, tuple) and decision[0] == "hang":
            time.sleep(decision[1])
            _answer(handler, 200, {})
            return
        if isinstance(decision, int):
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            _answer(handler, decision, {"error": "planned failure"}, headers)
            return
        doc = json.loads(body)
        rejected = []
        with self.lock:
            self.idempotency_keys.append(handler.headers.get("Idempotency-Key", ""))
            for event in doc["events"]:
                eid = event["event_id"]
                if eid in self.reject:
                    rejected.append({"event_id": eid, "error": "unknown person"})
                    continue
                if eid in self.applied:
                    self.duplicates += 1
                    continue
                self.applied[eid] = event
                self.arrival.append(eid)
        if self.hold_after_apply:
            self.applying.set()
            time.sleep(self.hold_after_apply)
        _answer(handler, 200, {"rejected": rejected} if rejected else {})


def _answer(
    handler: BaseHTTPRequestHandler, status: int, doc: Any, headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(doc).encode() if doc is not None else b""
    try:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        if payload:
            handler.send_header("Content-Type", "application/json; odata.metadata=minimal")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (timeout test, or a killed worker)


@contextmanager
def serve(route: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """Run `route` for every request on a fresh loopback port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            route(self)

        do_GET = do_POST
        do_PATCH = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def webhook_receiver(receiver: WebhookReceiver) -> Iterator[WebhookReceiver]:
    with serve(receiver.handle) as base:
        receiver.url = base + "/hooks/bounces"
        yield receiver


# -- Dataverse ---------------------------------------------------------------

API_PREFIX = "/api/data/v9.2"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass
class DataverseServer:
    client_id: str = "client-123"
    client_secret: str = "s3cret"
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)  # contactid -> row
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)  # listid -> row
    annotations: list[dict[str, Any]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)  # (listid, contactid)
    tokens_issued: list[str] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    shape_errors: list[str] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)
    throttle_next: int = 0  # answer this many API requests with 429 + Retry-After
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    @property
    def token_url(self) -> str:
        return self.base + "/tenant-id/oauth2/v2.0/token"

    @property
    def api_url(self) -> str:
        return self.base + API_PREFIX

    def add_contact(
        self, email: str, donotbulkemail: bool = False, field: str = "emailaddress1"
    ) -> str:
        """A contact with `email` in one of its three e-mail columns (the others empty)."""
        cid = str(uuid.uuid4())
        self.contacts[cid] = {
            "contactid": cid,
            "emailaddress1": "",
            "emailaddress2": "",
            "emailaddress3": "",
            field: email,
            "donotbulkemail": donotbulkemail,
        }
        return cid

    def add_list(self, name: str) -> str:
        lid = str(uuid.uuid4())
        self.lists[lid] = {"listid": lid, "listname": name}
        return lid

    def expire_tokens(self) -> None:
        with self.lock:
            self.valid_tokens.clear()

    def _shape(self, ok: bool, what: str) -> bool:
        if not ok:
            self.shape_errors.append(what)
        return ok

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length", "0"))
        body = h.rfile.read(length) if length else b""
        with self.lock:
            self.log.append((h.command, unquote(h.path)))
        if parts.path == urlsplit(self.token_url).path:
            self._token(h, body)
            return
        if not parts.path.startswith(API_PREFIX + "/"):
            _answer(h, 404, _odata_error("0x80060888", "Resource not found for the segment"))
            return
        for name, value in (
            ("OData-MaxVersion", "4.0"),
            ("OData-Version", "4.0"),
            ("Accept", "application/json"),
        ):
            if not self._shape(
                h.headers.get(name) == value, f"{h.command} {parts.path}: header {name}"
            ):
                _answer(h, 400, _odata_error("0x0", f"missing header {name}"))
                return
        auth = h.headers.get("Authorization", "")
        with self.lock:
            authorised = auth.startswith("Bearer ") and auth[7:] in self.valid_tokens
            throttled = self.throttle_next > 0
            if throttled:
                self.throttle_next -= 1
        if not authorised:
            _answer(h, 401, None, {"WWW-Authenticate": "Bearer"})
            return
        if throttled:
            _answer(
                h,
                429,
                _odata_error("0x80072322", "Number of requests exceeded the limit"),
                {"Retry-After": "1"},
            )
            return
        resource = parts.path[len(API_PREFIX) + 1 :]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        doc: Any = None
        if body:
            if not self._shape(
                h.headers.get("Content-Type", "").startswith("application/json"),
                f"{resource}: content type",
            ):
                _answer(h, 400, _odata_error("0x0", "content type"))
                return
            doc = json.loads(body)
        with self.lock:
            self._api(h, h.command, resource, query, doc)

    def _token(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        ok = (
            h.command == "POST"
            and h.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
            and form.get("grant_type") == "client_credentials"
            and form.get("scope") == self.base + "/.default"
        )
        if not self._shape(ok, f"token request {form}"):
            _answer(h, 400, {"error": "invalid_request"})
            return
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            _answer(h, 401, {"error": "invalid_client"})
            return
        token = f"token-{uuid.uuid4().hex}"
        with self.lock:
            self.tokens_issued.append(token)
            self.valid_tokens.add(token)
        _answer(
            h,
            200,
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token,
            },
        )

    def _api(
        self, h: BaseHTTPRequestHandler, method: str, resource: str, query: dict[str, str], doc: Any
    ) -> None:
        ctx = self.api_url + "/$metadata#"
        if method == "GET" and resource == "contacts":
            # The adapter asks for the address in all three e-mail columns.
            literal = r"'((?:[^']|'')*)'"
            m = re.fullmatch(
                rf"emailaddress1 eq {literal} or emailaddress2 eq {literal} "
                rf"or emailaddress3 eq {literal}",
                query.get("$filter", ""),
            )
            if not self._shape(
                bool(m)
                and m is not None
                and len(set(m.groups())) == 1
                and query.get("$select") == "contactid,donotbulkemail",
                f"contacts query {query}",
            ):
                _answer(h, 400, _odata_error("0x0", "bad query"))
                return
            assert m is not None
            email = m.group(1).replace("''", "'").lower()
            columns = ("emailaddress1", "emailaddress2", "emailaddress3")
            rows = [
                {"contactid": c["contactid"], "donotbulkemail": c["donotbulkemail"]}
                for c in self.contacts.values()
                if any(c[col].lower() == email for col in columns)
            ]
            _answer(
                h,
                200,
                {"@odata.context": ctx + "contacts(contactid,donotbulkemail)", "value": rows},
            )
            return
        m = re.fullmatch(rf"contacts\(({GUID})\)", resource)
        if method == "PATCH" and m:
            ok = (
                h.headers.get("If-Match") == "*"
                and isinstance(doc, dict)
                and set(doc) == {"donotbulkemail"}
                and isinstance(doc["donotbulkemail"], bool)
            )
            if not self._shape(ok, f"PATCH contact {doc} If-Match={h.headers.get('If-Match')}"):
                _answer(h, 400, _odata_error("0x0", "bad update"))
                return
            contact = self.contacts.get(m.group(1))
            if contact is None:
                _answer(
                    h,
                    404,
                    _odata_error("0x80040217", f"contact With Id = {m.group(1)} Does Not Exist"),
                )
                return
            contact["donotbulkemail"] = doc["donotbulkemail"]
            _answer(h, 204, None)
            return
        if method == "GET" and resource == "annotations":
            m2 = re.fullmatch(
                rf"_objectid_value eq ({GUID}) and subject eq '((?:[^']|'')*)'",
                query.get("$filter", ""),
            )
            if not self._shape(
                bool(m2) and query.get("$select") == "annotationid", f"annotations query {query}"
            ):
                _answer(h, 400, _odata_error("0x0", "bad query"))
                return
            assert m2 is not None
            subject = m2.group(2).replace("''", "'")
            rows = [
                {"annotationid": a["annotationid"]}
                for a in self.annotations
                if a["objectid"] == m2.group(1) and a["subject"] == subject
            ]
            _answer(
                h, 200, {"@odata.context": ctx + "annotations(annotationid)", "value": rows[:1]}
            )
            return
        if method == "POST" and resource == "annotations":
            bind = doc.get("objectid_contact@odata.bind", "") if isinstance(doc, dict) else ""
            mb = re.fullmatch(rf"/contacts\(({GUID})\)", bind)
            ok = (
                bool(mb)
                and isinstance(doc.get("subject"), str)
                and isinstance(doc.get("notetext"), str)
            )
            if not self._shape(ok, f"annotation {doc}"):
                _answer(h, 400, _odata_error("0x0", "bad annotation"))
                return
            assert mb is not None
            if mb.group(1) not in self.contacts:
                _answer(h, 400, _odata_error("0x80040217", "contact does not exist"))
                return
            aid = str(uuid.uuid4())
            self.annotations.append(
                {
                    "annotationid": aid,
                    "objectid": mb.group(1),
                    "subject": doc["subject"],
                    "notetext": doc["notetext"],
                }
            )
            _answer(h, 204, None, {"OData-EntityId": f"{self.api_url}/annotations({aid})"})
            return
        if method == "GET" and resource == "lists":
            ml = re.fullmatch(r"listname eq '((?:[^']|'')*)'", query.get("$filter", ""))
            if not self._shape(
                bool(ml) and query.get("$select") == "listid", f"lists query {query}"
            ):
                _answer(h, 400, _odata_error("0x0", "bad query"))
                return
            assert ml is not None
            name = ml.group(1).replace("''", "'")
            rows = [{"listid": r["listid"]} for r in self.lists.values() if r["listname"] == name]
            _answer(h, 200, {"@odata.context": ctx + "lists(listid)", "value": rows})
            return
        ma = re.fullmatch(rf"lists\(({GUID})\)/Microsoft\.Dynamics\.CRM\.AddMemberList", resource)
        if method == "POST" and ma:
            ok = (
                isinstance(doc, dict)
                and set(doc) == {"EntityId"}
                and doc["EntityId"] in self.contacts
            )
            if not self._shape(ok and ma.group(1) in self.lists, f"AddMemberList {doc}"):
                _answer(h, 400, _odata_error("0x0", "bad action"))
                return
            if (ma.group(1), doc["EntityId"]) not in self.members:
                self.members.append((ma.group(1), doc["EntityId"]))
            _answer(
                h,
                200,
                {
                    "@odata.context": ctx + "Microsoft.Dynamics.CRM.AddMemberListResponse",
                    "Id": str(uuid.uuid4()),
                },
            )
            return
        self.shape_errors.append(f"unexpected {method} {resource}")
        _answer(
            h, 404, _odata_error("0x80060888", f"Resource not found for the segment '{resource}'")
        )


def assert_per_contact_order(receiver: WebhookReceiver, made: list[tuple[str, str]]) -> None:
    """Each contact's events arrived in the order they were made (`made`: event id, address)."""
    expected: dict[str, list[str]] = defaultdict(list)
    for event_id, address in made:
        expected[address].append(event_id)
    got: dict[str, list[str]] = defaultdict(list)
    for event_id in receiver.arrival:
        got[receiver.applied[event_id]["address"]].append(event_id)
    assert got == expected


def _odata_error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


@contextmanager
def dataverse_server(server: DataverseServer) -> Iterator[DataverseServer]:
    with serve(server.handle) as base:
        server.base = base
        yield server


# -- events through the real store --------------------------------------------


def interaction_payload(
    address: str, n: int, *, code: str = "bounce_hb", person_id: str | None = None
) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "address": address,
        "kind": "bounce",
        "code": code,
        "reason": "user_unknown",
        "severity": "hard",
        "side": "recipient",
        "diagnostic": f"550 5.1.1 <{address}>: Recipient address rejected: User unknown (#{n})",
        "status": "5.1.1",
        "action": "failed",
        "reply_code": "550",
        "remote_mta": "mx.example.org",
        "rule": "status.5.1.1",
        "dsn_id": n,
        "interaction_id": n,
        "occurred_at": "2026-11-20T10:00:00+00:00",
    }


async def enqueue_events(
    sessionmaker: async_sessionmaker[AsyncSession],
    contacts: int,
    per_contact: int,
    *,
    start: int = 0,
) -> list[tuple[str, str]]:
    """Write events the way POLICY does (enqueue in a transaction); returns (event_id, address) in id order."""
    made: list[tuple[str, str]] = []
    async with sessionmaker() as session, session.begin():
        for round_ in range(per_contact):
            for c in range(contacts):
                n = start + round_ * contacts + c
                address = f"person{c}@example.com"
                if round_ % 2 == 0:
                    enqueue(
                        session,
                        "interaction.recorded",
                        address,
                        interaction_payload(address, n),
                        event_id=f"interaction-{n}",
                    )
                    made.append((f"interaction-{n}", address))
                else:
                    enqueue(
                        session,
                        "contact.bulk_email_changed",
                        address,
                        {
                            "person_id": None,
                            "address": address,
                            "bulk_email": "do_not_allow",
                            "previous": "allow",
                            "reason": "user_unknown",
                            "occurred_at": "2026-11-20T10:00:00+00:00",
                            "dsn_id": n,
                        },
                        event_id=f"bulk-email-{n}",
                    )
                    made.append((f"bulk-email-{n}", address))
    return made
