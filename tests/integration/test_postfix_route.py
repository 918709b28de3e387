"""A real Postfix, configured with the deploy/postfix snippets, hands bounces to a real sink.

The Postfix is the private lab instance of tools/postfix_lab (own directories,
127.0.0.1 only) with deploy/postfix/main.cf and a transport table from
deploy/postfix/ applied as an admin would: the file copied, ``postmap`` run,
only the ports changed to the ones this test picked.  The sink is
``bounce-sink serve`` as a subprocess with its own SQLite file; what arrived is
read back with ``bounce-sink dsn list --json``.  Routes: SMTP, LMTP over TCP
and over a Unix socket; also the sink being down (Postfix keeps the bounce), a
burst over parallel connections, and a live bounce Postfix itself wrote ending
in an unsubscribed person.  Needs the Debian package ``postfix`` and root; if
Postfix cannot start, these tests fail.
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "postfix"
FIXTURES = REPO / "fixtures" / "postfix"
sys.path.insert(0, str(REPO / "tools"))

from mta_lab.processes import free_port  # noqa: E402
from mta_lab.servers import ScriptedReceiver, start_smtp  # noqa: E402
from postfix_lab.instance import PostfixInstance, backdate  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BOUNCE_DOMAIN = "bounces.example.org"
ARRIVAL_TIMEOUT = 15.0


@dataclass
class Sink:
    """A running ``bounce-sink serve`` and how to read its store."""

    smtp_port: int
    lmtp_port: int
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def dsn_list(self) -> list[dict[str, Any]]:
        command = ["dsn", "list", "--json", "--limit", "1000"]
        done = subprocess.run(
            [sys.executable, "-m", "bounce_sink", "--database", self.database_url, *command],
            capture_output=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        return [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]

    def contact(self, address: str) -> dict[str, Any]:
        command = ["contacts", "show", "--json", address]
        done = subprocess.run(
            [sys.executable, "-m", "bounce_sink", "--database", self.database_url, *command],
            capture_output=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        document: dict[str, Any] = json.loads(done.stdout)
        return document

    def log_tail(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n--- sink log ---\n" + "\n".join(text.splitlines()[-20:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _answers_220(where: int | str) -> bool:
    """Whether a server greets on 127.0.0.1:``where`` (a port) or at ``where`` (a Unix socket)."""
    try:
        if isinstance(where, int):
            sock = socket.create_connection(("127.0.0.1", where), timeout=1)
        else:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(1)
            sock.connect(where)
        with sock:
            return sock.recv(512).startswith(b"220")
    except OSError:
        return False


def start_sink(workdir: Path, smtp_port: int, lmtp_port: int, lmtp_socket: str = "") -> Sink:
    """``bounce-sink serve`` for the bounce domain, SMTP and LMTP on loopback, no admin web.

    LMTP listens on ``lmtp_socket`` instead of the port when one is given.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite+aiosqlite:///{workdir / 'sink.db'}"
    env = {
        **os.environ,
        "BOUNCE_SINK_DATABASE_URL": database_url,
        "BOUNCE_SINK_SMTP_HOST": "127.0.0.1",
        "BOUNCE_SINK_SMTP_PORT": str(smtp_port),
        "BOUNCE_SINK_LMTP_ENABLED": "true",
        "BOUNCE_SINK_LMTP_HOST": "127.0.0.1",
        "BOUNCE_SINK_LMTP_PORT": str(lmtp_port),
        "BOUNCE_SINK_LMTP_SOCKET": lmtp_socket,
        "BOUNCE_SINK_BOUNCE_DOMAINS": BOUNCE_DOMAIN,
        "BOUNCE_SINK_ADMIN_ENABLED": "false",
        "BOUNCE_SINK_CRM_ADAPTER": "none",
    }
    env.pop("BOUNCE_SINK_CONFIG", None)
    log_path = workdir / "sink.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bounce_sink", "serve"],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    sink = Sink(smtp_port, lmtp_port, database_url, process, log_path)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"bounce-sink serve exited with {process.returncode}{sink.log_tail()}")
        if _answers_220(smtp_port) and _answers_220(lmtp_socket or lmtp_port):
            return sink
        time.sleep(0.1)
    sink.stop()
    pytest.fail(f"bounce-sink serve did not listen within 20 s{sink.log_tail()}")


def snippet_settings(path: Path, config_dir: Path) -> dict[str, str]:
    """The ``name = value`` lines of a main.cf snippet, /etc/postfix/ moved to the lab's."""
    settings: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, value = line.partition("=")
        settings[name.strip()] = value.strip().replace("/etc/postfix/", f"{config_dir}/")
    return settings


def snippet_transport(name: str, smtp_port: int = 2525, lmtp_port: int = 2424) -> str:
    """A deploy/postfix transport table as shipped, with only the documented ports replaced."""
    text = (DEPLOY / name).read_text()
    return text.replace(":2525", f":{smtp_port}").replace(":2424", f":{lmtp_port}")


def postfix_with_snippets(
    transport: str, relayhost: str = "", test_settings: dict[str, str] | None = None
) -> PostfixInstance:
    """A started lab Postfix set up from deploy/postfix/main.cf and this transport table.

    Mail for other domains goes to ``relayhost``, by default a closed port:
    never off the machine. ``test_settings`` are main.cf lines a test adds.
    """
    postfix = PostfixInstance.in_new_temp_dir(
        relayhost=relayhost or f"[127.0.0.1]:{free_port()}",
    )
    postfix.main_cf = {
        **snippet_settings(DEPLOY / "main.cf", postfix.config_dir),
        **(test_settings or {}),
    }
    postfix.write_config()
    table = postfix.config_dir / "transport"
    table.write_text(transport)
    backdate(table)
    done = subprocess.run(
        ["postmap", "-c", str(postfix.config_dir), f"hash:{table}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, f"postmap failed: {done.stdout}{done.stderr}"
    postfix.start()
    return postfix


def submit(postfix: PostfixInstance, recipient: str, raw: bytes) -> None:
    """Hand a bounce to Postfix as a remote MTA would: null sender, one recipient."""
    with smtplib.SMTP(
        "127.0.0.1", postfix.smtpd_port, local_hostname="mx.example.net", timeout=10
    ) as smtp:
        smtp.sendmail("", [recipient], raw)


def wait_for_message(
    sink: Sink, postfix: PostfixInstance, matches: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The sink's row that ``matches``, once Postfix logged a delivery to the sink.

    Watching Postfix's log first is cheap; each ``dsn list`` is a process start.
    """
    deadline = time.monotonic() + ARRIVAL_TIMEOUT
    sent = re.compile(rf"to=<[^>]*@{re.escape(BOUNCE_DOMAIN)}>, .*status=sent")
    while not sent.search(postfix.log_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    while time.monotonic() < deadline:
        for row in sink.dsn_list():
            if matches(row):
                return row
        time.sleep(0.2)
    pytest.fail(
        f"message not in the sink after {ARRIVAL_TIMEOUT}s{postfix.log_tail()}{sink.log_tail()}"
    )


def fixture_with_recipient(name: str, address: str) -> bytes:
    """A Postfix fixture DSN, re-addressed so each test finds its own message."""
    raw = (FIXTURES / name).read_bytes()
    original = re.search(rb"Final-Recipient: rfc822; (\S+)", raw)
    assert original is not None, name
    return raw.replace(original.group(1), address.encode())


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sink]:
    running = start_sink(tmp_path_factory.mktemp("sink"), free_port(), free_port())
    yield running
    running.stop()


PostfixFactory = Callable[[str], PostfixInstance]


@pytest.fixture
def postfix_factory() -> Iterator[PostfixFactory]:
    """Start lab Postfixes set up by deploy/postfix/main.cf and the given transport table."""
    started: list[PostfixInstance] = []

    def make(transport: str) -> PostfixInstance:
        postfix = postfix_with_snippets(transport)
        started.append(postfix)
        return postfix

    yield make
    for postfix in started:
        postfix.remove()


def assert_relayed_to_sink(postfix: PostfixInstance, client: str, port: int) -> None:
    """Postfix's own log names the client (smtp or lmtp) and the sink port it delivered to."""
    assert re.search(
        rf"postfix/{client}\[\d+\]: \w+: to=<bounces@{re.escape(BOUNCE_DOMAIN)}>, "
        rf"relay=127\.0\.0\.1\[127\.0\.0\.1\]:{port},.* status=sent",
        postfix.log_text(),
    ), postfix.log_tail()


def check_stored(row: dict[str, Any], person: str, rcpt: str) -> None:
    assert row["rcpt_tos"] == [rcpt]
    assert row["mail_from"] in ("", "<>")
    assert row["kind"] == "dsn"
    # How it is classified is test_postfix_fixtures' business; here: it was read.
    assert [(x["address"], x["action"]) for x in row["recipients"]] == [(person, "failed")]


def test_bounce_routed_over_smtp_reaches_the_sink_store(
    sink: Sink, postfix_factory: PostfixFactory
) -> None:
    postfix = postfix_factory(snippet_transport("transport", sink.smtp_port))
    person = "route-smtp@example.com"
    rcpt = f"bounces@{BOUNCE_DOMAIN}"
    submit(
        postfix,
        rcpt,
        fixture_with_recipient("user-unknown-550-no-such-recipient.eml", person),
    )

    row = wait_for_message(
        sink, postfix, lambda r: any(x["address"] == person for x in r["recipients"])
    )

    check_stored(row, person, rcpt)
    assert_relayed_to_sink(postfix, "smtp", sink.smtp_port)


def test_bounce_routed_over_lmtp_reaches_the_sink_store(
    sink: Sink, postfix_factory: PostfixFactory
) -> None:
    postfix = postfix_factory(snippet_transport("transport-lmtp", lmtp_port=sink.lmtp_port))
    person = "route-lmtp@example.com"
    rcpt = f"bounces@{BOUNCE_DOMAIN}"
    submit(postfix, rcpt, fixture_with_recipient("user-unknown-550-no-such-recipient.eml", person))

    row = wait_for_message(
        sink, postfix, lambda r: any(x["address"] == person for x in r["recipients"])
    )

    check_stored(row, person, rcpt)
    assert_relayed_to_sink(postfix, "lmtp", sink.lmtp_port)


def test_bounce_routed_over_an_lmtp_unix_socket_reaches_the_sink_store(
    tmp_path: Path, postfix_factory: PostfixFactory
) -> None:
    # The commented alternative in deploy/postfix/transport-lmtp, exactly as shipped:
    # its path is relative to Postfix's queue directory.
    (unix_line,) = [
        line.lstrip("#")
        for line in snippet_transport("transport-lmtp").splitlines()
        if line.startswith("#bounces.example.org")
    ]
    postfix = postfix_factory(unix_line + "\n")
    # As the comment says: a directory for the sink's socket inside the queue directory.
    socket_dir = postfix.queue_dir / "bounce-sink"
    socket_dir.mkdir(mode=0o755)
    socket_path = socket_dir / "lmtp.sock"
    assert f"lmtp:unix:{socket_path.relative_to(postfix.queue_dir)}" in unix_line
    sink = start_sink(tmp_path / "sink", free_port(), free_port(), lmtp_socket=str(socket_path))
    try:
        person = "route-lmtp-socket@example.com"
        rcpt = f"bounces@{BOUNCE_DOMAIN}"
        submit(postfix, rcpt, fixture_with_recipient("domain-not-found.eml", person))

        row = wait_for_message(
            sink, postfix, lambda r: any(x["address"] == person for x in r["recipients"])
        )

        check_stored(row, person, rcpt)
        assert re.search(
            rf"postfix/lmtp\[\d+\]: \w+: to=<{re.escape(rcpt)}>, "
            r"relay=\S+\[bounce-sink/lmtp\.sock\],.* status=sent",
            postfix.log_text(),
        ), postfix.log_tail()
    finally:
        sink.stop()


def test_verp_address_passes_postfix_and_unknown_local_part_is_refused_by_postfix(
    sink: Sink, postfix_factory: PostfixFactory
) -> None:
    postfix = postfix_factory(snippet_transport("transport", sink.smtp_port))
    verp = f"bounces+n7q2abc@{BOUNCE_DOMAIN}"
    person = "verp-route@example.com"
    submit(postfix, verp, fixture_with_recipient("mailbox-full-552-5.2.2.eml", person))

    # relay_recipient_maps refuses at RCPT time: no backscatter, nothing queued.
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        submit(postfix, f"someone@{BOUNCE_DOMAIN}", b"Subject: x\r\n\r\nx\r\n")
    ((code, text),) = refused.value.recipients.values()
    assert code == 550, text

    row = wait_for_message(
        sink, postfix, lambda r: any(x["address"] == person for x in r["recipients"])
    )
    check_stored(row, person, verp)


def test_postfix_keeps_the_bounce_while_the_sink_is_down_and_delivers_it_later(
    tmp_path: Path, postfix_factory: PostfixFactory
) -> None:
    smtp_port, lmtp_port = free_port(), free_port()
    # Nothing listens yet: the transport points at the ports the sink will use.
    postfix = postfix_factory(snippet_transport("transport", smtp_port))
    person = "sink-was-down@example.com"
    submit(
        postfix,
        f"bounces@{BOUNCE_DOMAIN}",
        fixture_with_recipient("disabled-550-5.2.1.eml", person),
    )
    deadline = time.monotonic() + ARRIVAL_TIMEOUT
    while "status=deferred" not in postfix.log_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "status=deferred" in postfix.log_text(), postfix.log_tail()
    assert "status=bounced" not in postfix.log_text()

    sink = start_sink(tmp_path / "sink", smtp_port, lmtp_port)
    try:
        postfix.flush()
        row = wait_for_message(
            sink, postfix, lambda r: any(x["address"] == person for x in r["recipients"])
        )
        assert row["rcpt_tos"] == [f"bounces@{BOUNCE_DOMAIN}"]
    finally:
        sink.stop()


def test_a_live_postfix_bounce_unsubscribes_the_person_in_the_sink(sink: Sink) -> None:
    """The whole path: a mailing, a refusal, Postfix's own DSN, routed by the snippet to the sink."""
    person = "live-bounce@example.com"
    receiver = ScriptedReceiver({person: "550 No such recipient"})
    receiver_port = free_port()
    controller = start_smtp(receiver, receiver_port, "mx.example.com")
    postfix = postfix_with_snippets(
        snippet_transport("transport", sink.smtp_port), relayhost=f"[127.0.0.1]:{receiver_port}"
    )
    try:
        newsletter = (
            "From: Example News <news@example.org>\r\n"
            f"To: {person}\r\n"
            "Subject: Example News: the November issue\r\n"
            "Message-ID: <november-2026.live@example.org>\r\n"
            "\r\n"
            "Hello.\r\n"
        )
        with smtplib.SMTP("127.0.0.1", postfix.smtpd_port, timeout=10) as smtp:
            smtp.sendmail(f"bounces@{BOUNCE_DOMAIN}", [person], newsletter)

        row = wait_for_message(
            sink, postfix, lambda r: any(x["address"] == person for x in r["recipients"])
        )
        assert row["reporting_mta"] == postfix.myhostname
        contact = sink.contact(person)
        assert contact["bulk_email"] == "do_not_allow", contact
        interaction = contact["interaction"]
        assert (interaction["reason"], interaction["severity"], interaction["code"]) == (
            "user_unknown",
            "hard",
            "bounce_hb",
        )
        assert receiver.attempts == [person]
    finally:
        postfix.remove()
        controller.stop()


def test_a_burst_of_bounces_over_parallel_connections_all_arrive(sink: Sink) -> None:
    """Postfix opens several connections to the sink at once; none of its bounces is lost."""
    rcpt = f"bounces@{BOUNCE_DOMAIN}"
    postfix = postfix_with_snippets(
        snippet_transport("transport", sink.smtp_port),
        # Hold every bounce on arrival, then release them together, so the queue
        # manager has them all at once and spreads them over parallel deliveries.
        test_settings={
            "smtpd_recipient_restrictions": f"check_recipient_access inline:{{ {rcpt}=HOLD }}"
        },
    )
    try:
        people = [f"burst-{n:02d}@example.com" for n in range(40)]
        template = fixture_with_recipient("mailbox-full-552-5.2.2.eml", "PERSON@example.com")
        with smtplib.SMTP("127.0.0.1", postfix.smtpd_port, timeout=10) as smtp:
            for person in people:
                raw = template.replace(b"PERSON@example.com", person.encode())
                smtp.sendmail("", [rcpt], raw)
        subprocess.run(["postsuper", "-c", str(postfix.config_dir), "-H", "ALL"], check=True)
        postfix.flush()

        postfix.wait_until_queue_empty(timeout=ARRIVAL_TIMEOUT)
        log = postfix.log_text()
        assert log.count(": hold: RCPT from") == len(people), postfix.log_tail()
        assert log.count(f"relay=127.0.0.1[127.0.0.1]:{sink.smtp_port},") >= len(people)
        assert "status=deferred" not in log and "status=bounced" not in log, postfix.log_tail()
        assert len(set(re.findall(r"postfix/smtp\[(\d+)\]", log))) > 1, "one connection only"
        # Every acknowledged bounce is in the store (processing may lag a moment).
        deadline = time.monotonic() + ARRIVAL_TIMEOUT
        while True:
            stored = {x["address"] for row in sink.dsn_list() for x in row["recipients"]}
            if set(people) <= stored or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert sorted(set(people) - stored) == []
    finally:
        postfix.remove()
