"""The admin web end to end: a real uvicorn server on loopback over a real SQLite store.

The store is filled the way production fills it: raw bytes stored by
`store_message`, then parsed, classified and acted on by the real
`Processor` (parse + policy). The JSON API is read with httpx, the pages with
a real headless Chromium driven by Selenium.
"""

from __future__ import annotations

import asyncio
import base64
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bounce_sink.admin.web import create_app
from bounce_sink.config import Settings, load_settings
from bounce_sink.processing import Processor
from bounce_sink.store.db import make_engine, make_sessionmaker
from bounce_sink.store.messages import Envelope, store_message
from bounce_sink.store.migrate import upgrade

pytestmark = pytest.mark.integration

HOSTILE_DIAGNOSTIC = (
    'smtp; 550 5.1.1 <script>window.__pwned = 1</script> unknown user "mallory" & <b>friends</b>'
)
HOSTILE_SUBJECT = '<img src=x onerror="window.__pwned = 2"> Undelivered Mail'
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "postfix"
# The admin's subject is showing verdicts, not reaching them: the hard bounce
# is the plainest one there is (5.1.1, "User unknown"), so these tests do not
# move with the finer rules of the classifier.
HARD_ADDRESS = "no-such-user@example.com"
HARD_DIAGNOSTIC = (
    "550 5.1.1 <no-such-user@example.com>: Recipient address rejected: "
    "User unknown in virtual mailbox table"
)
# One of the product documentation's examples, as a real Postfix sent it.
SOFT_FIXTURE = FIXTURES / "mailbox-full-552-5.2.2.eml"
SOFT_ADDRESS = "full-mailbox@example.com"
SOFT_DIAGNOSTIC = "552 5.2.2 <> Mailbox has exceeded the limit"
HOSTILE_ADDRESS = "mallory@example.org"
# The returned original past this is not stored (DESIGN: "truncated, marked").
BIG_STORE_LIMIT = 4096


def postfix_dsn(
    recipient: str,
    status: str,
    diagnostic: str,
    *,
    queue_id: str,
    subject: str = "Undelivered Mail Returned to Sender",
    remote: str = "mx.example.com",
    padding_lines: int = 0,
    mailing: str = "",
) -> bytes:
    """A DSN shaped as Postfix sends it, for text no real fixture carries (hostile markup)."""
    boundary = f"{queue_id}.1764150000/mail.example.net"
    padding = (f"X-Mailing-Id: {mailing}\n" if mailing else "") + "".join(
        f"X-Padding-{n}: {'x' * 60}\n" for n in range(padding_lines)
    )
    text = f"""\
Return-Path: <>
Received: by mail.example.net (Postfix) id {queue_id}; Wed, 25 Nov 2026 10:00:00 +0000 (UTC)
Date: Wed, 25 Nov 2026 10:00:00 +0000 (UTC)
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
Subject: {subject}
To: bounces@localhost
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="{boundary}"
Content-Transfer-Encoding: 8bit
Message-Id: <20261125100000.{queue_id}@mail.example.net>

This is a MIME-encapsulated message.

--{boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host {remote}[192.0.2.25] said: {diagnostic.removeprefix("smtp; ")}
    (in reply to RCPT TO command)

--{boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
X-Postfix-Queue-ID: {queue_id}
X-Postfix-Sender: rfc822; bounces@localhost
Arrival-Date: Wed, 25 Nov 2026 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: failed
Status: {status}
Remote-MTA: dns; {remote}
Diagnostic-Code: {diagnostic}

--{boundary}
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <bounces@localhost>
From: news@example.net
To: {recipient}
Subject: November news
Message-Id: <news-{queue_id}@example.net>
{padding}
--{boundary}--
"""
    return text.replace("\n", "\r\n").encode()


@dataclass(frozen=True)
class Seeded:
    hard: int
    soft: int
    hostile: int
    unparsed: int
    other: int
    big: int
    raw_hard: bytes
    raw_big: bytes

    def names(self) -> dict[int, str]:
        return {
            getattr(self, name): name
            for name in ("hard", "soft", "hostile", "unparsed", "other", "big")
        }


async def _seed(url: str, settings: Settings) -> Seeded:
    await upgrade(url)
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    processor = Processor(settings, sessionmaker)
    ids: dict[str, int] = {}
    raws: dict[str, bytes] = {}
    messages = [
        (
            "hard",
            postfix_dsn(
                HARD_ADDRESS,
                "5.1.1",
                f"smtp; {HARD_DIAGNOSTIC}",
                queue_id="4A1B2C3D",
                mailing="news-2026-11",
            ),
        ),
        ("soft", SOFT_FIXTURE.read_bytes()),
        (
            "hostile",
            postfix_dsn(
                HOSTILE_ADDRESS,
                "5.1.1",
                HOSTILE_DIAGNOSTIC,
                queue_id="6C3D4E5F",
                subject=HOSTILE_SUBJECT,
            ),
        ),
        ("unparsed", b""),
        (
            "other",
            b"From: someone@example.org\r\nTo: postmaster@localhost\r\n"
            b"Subject: Hello postmaster\r\n\r\nPlease take me off your list.\r\n",
        ),
        (
            "big",
            postfix_dsn(
                "slow-host@example.net",
                "5.4.7",
                "smtp; 554 5.4.7 delivery time expired",
                queue_id="7D4E5F60",
                padding_lines=400,
            ),
        ),
    ]
    rcpt = {"other": "postmaster@localhost"}
    try:
        for name, raw in messages:
            message_id = await store_message(
                sessionmaker,
                raw,
                Envelope(
                    source="smtp",
                    mail_from="",
                    rcpt_tos=(rcpt.get(name, "bounces@localhost"),),
                    peer="192.0.2.25",
                    helo="mail.example.net",
                ),
                store_limit=BIG_STORE_LIMIT if name == "big" else settings.store_limit,
            )
            await processor.process(message_id)
            ids[name] = message_id
            raws[name] = raw
    finally:
        await engine.dispose()
    return Seeded(
        hard=ids["hard"],
        soft=ids["soft"],
        hostile=ids["hostile"],
        unparsed=ids["unparsed"],
        other=ids["other"],
        big=ids["big"],
        raw_hard=raws["hard"],
        raw_big=raws["big"],
    )


class AdminServer:
    """The admin app under uvicorn in its own thread and loop, as `serve` runs it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # proto must say TCP, or asyncio leaves Nagle on and every answer waits
        # ~40 ms for the client's delayed ACK (uvicorn's own binding says TCP).
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="admin-web", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self.error = exc

    async def _main(self) -> None:
        engine = make_engine(self.settings.database_url)
        try:
            app = create_app(self.settings, make_sessionmaker(engine))
            config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
            self.server = uvicorn.Server(config)
            await self.server.serve(sockets=[self.sock])
        finally:
            await engine.dispose()

    def __enter__(self) -> AdminServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.error is not None:
                raise RuntimeError(f"admin server failed to start: {self.error!r}")
            if self.server is not None and self.server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("admin server did not start within 15 s")

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Seeded]:
    path: Path = tmp_path_factory.mktemp("admin") / "bounce-sink.db"
    url = f"sqlite+aiosqlite:///{path}"
    settings = load_settings(env={}, database_url=url)
    return settings, asyncio.run(_seed(url, settings))


@pytest.fixture(scope="module")
def seeded(store: tuple[Settings, Seeded]) -> Seeded:
    return store[1]


@pytest.fixture(scope="module")
def site(store: tuple[Settings, Seeded]) -> Iterator[AdminServer]:
    with AdminServer(store[0]) as server:
        yield server


@pytest.fixture(scope="module")
def api(site: AdminServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.base_url, timeout=10) as client:
        yield client


# ---------------------------------------------------------------- JSON API


def test_dsn_list_is_newest_first_with_verdicts(api: httpx.Client, seeded: Seeded) -> None:
    body = api.get("/api/dsn").json()
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids, reverse=True)
    assert {seeded.hard, seeded.soft, seeded.hostile, seeded.unparsed} <= set(ids)
    hard = next(item for item in body["items"] if item["id"] == seeded.hard)
    assert hard["state"] == "parsed"
    (recipient,) = hard["recipients"]
    assert (
        recipient["address"],
        recipient["reason"],
        recipient["severity"],
        recipient["code"],
    ) == (
        HARD_ADDRESS,
        "user_unknown",
        "hard",
        "bounce_hb",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "unparsed"}, {"unparsed"}),
        ({"state": "other"}, {"other"}),
        ({"mailing": "news-2026-11"}, {"hard"}),
        ({"reason": "mailbox_full"}, {"soft"}),
        ({"severity": "hard"}, {"hard", "hostile"}),
        ({"code": "bounce_fm"}, {"soft"}),
        ({"address": "NO-SUCH-USER@"}, {"hard"}),
        ({"severity": "hard", "address": "mallory"}, {"hostile"}),
        ({"severity": "soft", "address": "no-such"}, set()),
    ],
)
def test_dsn_list_filters(
    api: httpx.Client, seeded: Seeded, query: dict[str, str], expected: set[str]
) -> None:
    names = seeded.names()
    body = api.get("/api/dsn", params=query).json()
    assert {names[item["id"]] for item in body["items"]} == expected
    assert body["total"] == len(expected)


def test_dsn_list_pages(api: httpx.Client) -> None:
    first = api.get("/api/dsn", params={"per_page": 2}).json()
    second = api.get("/api/dsn", params={"per_page": 2, "page": 2}).json()
    assert first["total"] == 6 and first["pages"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_dsn_detail_keeps_the_exact_diagnostic(api: httpx.Client, seeded: Seeded) -> None:
    body = api.get(f"/api/dsn/{seeded.soft}").json()
    dsn = body["dsn"]
    assert dsn["subject"] == "Undelivered Mail Returned to Sender"
    assert dsn["peer"] == "192.0.2.25" and dsn["helo"] == "mail.example.net"
    assert dsn["kind"] == "dsn" and dsn["raw_available"] is True
    (recipient,) = dsn["recipients"]
    assert recipient["diagnostic"] == SOFT_DIAGNOSTIC
    assert (recipient["reason"], recipient["side"], recipient["severity"], recipient["code"]) == (
        "mailbox_full",
        "recipient",
        "soft",
        "bounce_fm",
    )
    assert recipient["rule"]
    assert api.get("/api/dsn/999999").status_code == 404


def test_unparsed_message_is_kept_and_marked(api: httpx.Client, seeded: Seeded) -> None:
    dsn = api.get(f"/api/dsn/{seeded.unparsed}").json()["dsn"]
    assert dsn["state"] == "unparsed"
    assert dsn["error"]


def test_truncated_source_is_marked(api: httpx.Client, seeded: Seeded) -> None:
    dsn = api.get(f"/api/dsn/{seeded.big}").json()["dsn"]
    assert dsn["raw_truncated"] is True
    assert dsn["size"] == len(seeded.raw_big) > BIG_STORE_LIMIT
    assert dsn["state"] == "parsed"  # the DSN parts come first and were kept
    stored = api.get(f"/dsn/{seeded.big}/raw").content
    assert stored == seeded.raw_big[:BIG_STORE_LIMIT]
    page = api.get(f"/dsn/{seeded.big}").text
    assert 'id="truncated"' in page and "(stored source truncated)" in page
    assert 'id="truncated"' not in api.get(f"/dsn/{seeded.soft}").text


def test_raw_download_is_the_stored_bytes(api: httpx.Client, seeded: Seeded) -> None:
    response = api.get(f"/dsn/{seeded.hard}/raw")
    assert response.status_code == 200
    assert response.content == seeded.raw_hard
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-type"] == "application/octet-stream"


def test_contact_shows_do_not_allow_with_its_cause(api: httpx.Client, seeded: Seeded) -> None:
    contact = api.get(f"/api/contacts/{HARD_ADDRESS}").json()
    assert contact["bulk_email"] == "do_not_allow"
    assert contact["cause"]["message_id"] == seeded.hard
    assert contact["cause"]["diagnostic"] == HARD_DIAGNOSTIC
    assert any(entry["new_value"].startswith("do_not_allow") for entry in contact["audit"])
    assert [i["message_id"] for i in contact["interactions"]] == [seeded.hard]
    soft = api.get(f"/api/contacts/{SOFT_ADDRESS.upper()}").json()
    assert soft["bulk_email"] == "allow"
    assert api.get("/api/contacts/nobody@example.com").status_code == 404
    found = api.get("/api/contacts", params={"q": "example.com"}).json()["items"]
    assert {c["address"] for c in found} == {HARD_ADDRESS, SOFT_ADDRESS}


def test_stats_health_and_metrics(api: httpx.Client) -> None:
    stats = api.get("/api/stats", params={"days": 3650}).json()
    assert stats["messages_by_state"]["unparsed"] == 1
    assert stats["by_reason"]["mailbox_full"] == 1
    assert stats["by_code"]["bounce_hb"] == 2
    assert sum(d["hard"] for d in stats["by_day"]) == 2
    health = api.get("/api/health").json()
    assert health["outbox_problem"] is None, health
    assert health["outbox"]["depth"] >= 3  # nothing syncs here: every event waits
    assert health["outbox"]["dead_letters"] == 0
    metrics = api.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'bounce_sink_messages{state="unparsed"} 1' in text
    assert (
        'bounce_sink_interactions{reason="mailbox_full",severity="soft",code="bounce_fm"} 1' in text
    )
    assert re.search(r"^bounce_sink_outbox_depth \d+$", text, re.M)


def test_pages_send_a_script_free_security_policy(api: httpx.Client, seeded: Seeded) -> None:
    response = api.get(f"/dsn/{seeded.hostile}")
    assert response.status_code == 200
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script" not in response.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in response.text


def test_allow_refuses_forms_without_csrf_token_or_from_elsewhere(
    api: httpx.Client, site: AdminServer
) -> None:
    no_token = api.post("/contacts/allow", data={"address": HARD_ADDRESS, "why": "test"})
    assert no_token.status_code == 403
    page = api.get(f"/contacts/{HARD_ADDRESS}").text
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    token = match.group(1) if match else "0" * 64
    cross_site = api.post(
        "/contacts/allow",
        data={"address": HARD_ADDRESS, "why": "test", "csrf": token},
        headers={"Origin": "http://evil.example.org"},
    )
    assert cross_site.status_code == 403
    assert api.get(f"/api/contacts/{HARD_ADDRESS}").json()["bulk_email"] == "do_not_allow"


def test_crm_inbound_endpoint_is_mounted(api: httpx.Client) -> None:
    response = api.post(
        "/api/crm/address-change", json={"person_id": "p1", "address": "a@example.com"}
    )
    # No inbound token is configured: the CRM room refuses, it does not 404.
    assert response.status_code in (401, 403), response.text


def test_token_protects_pages_and_api(store: tuple[Settings, Seeded]) -> None:
    settings = Settings(**{**vars(store[0]), "admin_token": "s3cret-token"})
    with AdminServer(settings) as server, httpx.Client(base_url=server.base_url, timeout=10) as c:
        api_denied = c.get("/api/dsn")
        assert api_denied.status_code == 401
        assert api_denied.headers["www-authenticate"] == "Bearer"
        page_denied = c.get("/dsn")
        assert page_denied.status_code == 401
        assert page_denied.headers["www-authenticate"].startswith("Basic ")
        assert c.get("/api/dsn", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert (
            c.get("/api/dsn", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        )
        basic = base64.b64encode(b"alice:s3cret-token").decode()
        page = c.get("/dsn", headers={"Authorization": f"Basic {basic}"})
        assert page.status_code == 200
        assert "admin:alice" in page.text
        assert (
            c.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        )


# ---------------------------------------------------------------- real browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's headless Chromium; a machine without it fails here, loudly."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if shutil.which(p) is None]
    if missing:
        pytest.fail(
            f"browser tests need {', '.join(missing)}: apt-get install -y chromium chromium-driver",
            pytrace=False,
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception as exc:
        pytest.fail(f"Chromium could not be started: {type(exc).__name__}: {exc}", pytrace=False)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def _text(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.TAG_NAME, "body").text)


def _wait_for_url(driver: Any, part: str) -> None:
    """Clicks return before the next page has loaded: wait for it, then for the document."""
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 10)
    wait.until(lambda d: part in d.current_url)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_browser_dsn_list_shows_a_classified_bounce(
    browser: Any, site: AdminServer, seeded: Seeded
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site.base_url}/dsn")
    assert browser.title.startswith("Bounces")
    row = browser.find_element(
        By.XPATH, f"//table[@id='dsn-list']//tr[td/a[text()='{seeded.hard}']]"
    )
    assert f"{HARD_ADDRESS} user_unknown hard bounce_hb" in row.text
    assert "parsed" in row.text


def test_browser_detail_shows_exact_diagnostic_and_escapes_hostile_text(
    browser: Any, site: AdminServer, seeded: Seeded
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site.base_url}/dsn/{seeded.hostile}")
    text = _text(browser)
    assert '<script>window.__pwned = 1</script> unknown user "mallory" & <b>friends</b>' in text
    assert HOSTILE_SUBJECT in text
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main b") == []
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    raw = browser.find_element(By.ID, "raw-source").text
    assert f"Subject: {HOSTILE_SUBJECT}" in raw


def test_browser_unparsed_message_is_visible(
    browser: Any, site: AdminServer, seeded: Seeded
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{site.base_url}/dsn")
    Select(browser.find_element(By.NAME, "state")).select_by_visible_text("unparsed")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    _wait_for_url(browser, "state=unparsed")
    rows = browser.find_elements(By.CSS_SELECTOR, "#dsn-list tbody tr")
    assert len(rows) == 1 and "unparsed" in rows[0].text
    rows[0].find_element(By.TAG_NAME, "a").click()
    _wait_for_url(browser, f"/dsn/{seeded.unparsed}")
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert alert.text.startswith("Unparsed.")


def test_browser_contact_shows_do_not_allow_with_its_cause(
    browser: Any, site: AdminServer, seeded: Seeded
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{site.base_url}/contacts?q=no-such")
    browser.find_element(By.LINK_TEXT, HARD_ADDRESS).click()
    _wait_for_url(browser, f"/contacts/{HARD_ADDRESS}")
    bulk = browser.find_element(By.ID, "bulk-email").text
    assert "do_not_allow" in bulk
    cause = browser.find_element(By.ID, "cause")
    assert f"DSN #{seeded.hard}" in cause.text
    assert HARD_DIAGNOSTIC in cause.text
    cause.find_element(By.TAG_NAME, "a").click()
    _wait_for_url(browser, f"/dsn/{seeded.hard}")
    assert HARD_DIAGNOSTIC in _text(browser)


def test_browser_screenshot_of_dsn_detail(browser: Any, site: AdminServer, seeded: Seeded) -> None:
    browser.get(f"{site.base_url}/dsn/{seeded.hard}")
    assert HARD_DIAGNOSTIC in _text(browser)
    assert browser.save_screenshot("/tmp/admin-dsn.png")
    assert Path("/tmp/admin-dsn.png").stat().st_size > 10_000


def test_browser_allow_bulk_email_again(browser: Any, site: AdminServer, api: httpx.Client) -> None:
    """The one admin action: a POST form with a CSRF token, carried out by the policy room."""
    from selenium.webdriver.common.by import By

    assert api.get(f"/api/contacts/{HOSTILE_ADDRESS}").json()["bulk_email"] == "do_not_allow"
    browser.get(f"{site.base_url}/contacts/{HOSTILE_ADDRESS}")
    form = browser.find_element(By.CSS_SELECTOR, "form.action")
    assert form.get_attribute("method") == "post"
    form.find_element(By.NAME, "why").send_keys("confirmed by phone <b>today</b>")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait_for_url(browser, "notice=allowed")
    assert "Bulk email is allowed again." in _text(browser)
    assert "allow bulk email again" not in _text(browser).lower()  # the form is gone
    contact = api.get(f"/api/contacts/{HOSTILE_ADDRESS}").json()
    assert contact["bulk_email"] == "allow"
    (latest, *_) = contact["audit"]
    assert latest["actor"] == "admin:local"
    assert latest["why"] == "confirmed by phone <b>today</b>"
    assert "confirmed by phone <b>today</b>" in _text(browser)


async def _refuse_first_event(url: str, error: str) -> int:
    """What the CRM worker does on a permanent 4xx: park the event as a dead letter."""
    from sqlalchemy import select

    from bounce_sink.store.models import OutboxEvent

    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            event = (await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))).first()
            assert event is not None, "policy wrote no outbox event"
            event.dead = True
            event.attempts = 1
            event.last_error = error
            return event.id
    finally:
        await engine.dispose()


def test_browser_dead_letter_is_visible_and_retried(
    browser: Any, site: AdminServer, api: httpx.Client
) -> None:
    from selenium.webdriver.common.by import By

    error = "400 Bad Request: <script>window.__pwned = 3</script> unknown field"
    event_id = asyncio.run(_refuse_first_event(site.settings.database_url, error))
    assert [d["id"] for d in api.get("/api/dead-letters").json()["items"]] == [event_id]
    assert api.get("/api/health").json()["outbox"]["dead_letters"] == 1
    browser.get(f"{site.base_url}/health")
    table = browser.find_element(By.ID, "dead-letters")
    assert error in table.text
    assert browser.find_elements(By.TAG_NAME, "script") == []
    table.find_element(
        By.CSS_SELECTOR, f"button[aria-label='Retry dead letter {event_id}']"
    ).click()
    _wait_for_url(browser, "notice=retried-1")
    assert "1 dead letter(s) queued for the CRM again." in _text(browser)
    assert "None: the CRM has refused nothing." in _text(browser)
    assert api.get("/api/dead-letters").json()["items"] == []
    assert api.get("/api/health").json()["outbox"]["dead_letters"] == 0


async def _open_incident(url: str, sample: str) -> None:
    """What the policy room records when one domain refuses many of our messages."""
    from datetime import UTC, datetime

    from bounce_sink.store.models import Incident

    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            now = datetime.now(UTC)
            session.add(
                Incident(
                    domain="example.net",
                    reason="blocked",
                    opened_at=now,
                    last_seen_at=now,
                    count=25,
                    sample_diagnostic=sample,
                )
            )
    finally:
        await engine.dispose()


def test_incidents_page_and_api(api: httpx.Client, site: AdminServer) -> None:
    sample = "554 5.7.1 <b>Service unavailable</b>; client host blocked using zen.example"
    asyncio.run(_open_incident(site.settings.database_url, sample))
    items = api.get("/api/incidents").json()["items"]
    assert [(i["domain"], i["reason"], i["count"], i["closed_at"]) for i in items] == [
        ("example.net", "blocked", 25, None)
    ]
    page = api.get("/incidents").text
    assert "&lt;b&gt;Service unavailable&lt;/b&gt;" in page and "<b>Service" not in page
    assert api.get("/api/health").json()["open_incidents"] == 1
    assert "bounce_sink_open_incidents 1" in api.get("/metrics").text


def test_detail_links_the_mailing(api: httpx.Client, seeded: Seeded) -> None:
    (recipient,) = api.get(f"/api/dsn/{seeded.hard}").json()["dsn"]["recipients"]
    assert recipient["mailing_id"] == "news-2026-11"
    assert 'href="/dsn?mailing=news-2026-11"' in api.get(f"/dsn/{seeded.hard}").text
