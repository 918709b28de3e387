"""Regenerate fixtures/haraka/*.eml: bounces that a real Haraka 3.3 (Node.js MTA) wrote, on loopback.

Run as root (the stub nameserver binds port 53 of a loopback address; npm
reaches its registry, or the cache is filled already)::

    .venv/bin/python tools/haraka_lab/make_fixtures.py [--out fixtures/haraka]

What happens: a private Haraka (``instance.py``: installed from npm into a
cache, never globally) takes one newsletter per case from
``news@example.org`` (envelope sender ``bounces@bounces.example.org``) over
SMTP from 127.0.0.1, which its relay plugin lets relay, as a bulk sender's
outbound relay is used.  Haraka's outbound delivers each domain where the
lab's ``lab_mx`` get_mx hook says: example.com to the Postfix lab's scripted
receiving server (documented refusals at RCPT or after DATA), the MTA's own
domain over LMTP to a scripted local mail store, ``down.example.com`` to a
loopback port where nothing listens, and bounces.example.org to a capturing
server.  The missing domain has no route: Haraka looks its MX up, asking the
lab's stub nameserver (``mta_lab.nameserver``), which says NXDOMAIN.  Haraka
writes its own bounce (a multipart/report from its ``outbound.bounce_message``
template, with the original's headers) and sends it to the envelope sender,
where it is captured byte for byte.  ``temp_fail_intervals=5s`` stands for
Haraka's default 12 retries over about three days: a 4xx and the refused
connection are retried once, then bounced.  Queue ids, boundaries and dates
differ on every run.

What Haraka cannot give, and so is not here: a delay warning and a success
notice (its outbound sends neither and passes no NOTIFY on).
"""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import (
    check_texts,
    first_containing,
    wait_for_bounces,
    write_fixtures,
)
from mta_lab.nameserver import StubNameserver
from mta_lab.newsletter import RETURN_PATH, message_id, newsletter
from mta_lab.processes import free_port
from mta_lab.receiver_replies import (
    MAILBOX_FULL,
    SENDER_REFUSED,
    TRY_LATER,
    UNKNOWN_IN_VIRTUAL_TABLE,
    recipient_rejected,
)
from mta_lab.servers import (
    CapturedMessage,
    ClosedPort,
    MessageCapture,
    ScriptedReceiver,
    start_lmtp,
    start_smtp,
)
from mta_lab.standard_cases import (
    BLOCKLISTED_AT_RCPT,
    DISABLED_AT_RCPT,
    GMAIL_MULTILINE_AT_RCPT,
    LOCAL_POLICY_AT_RCPT,
    OVER_QUOTA_AT_RCPT,
    SPAM_AFTER_DATA,
    TOO_BIG_AFTER_DATA,
    USER_UNKNOWN_AT_RCPT,
)

from haraka_lab.instance import MTA_HOSTNAME, HarakaInstance

BOUNCE_DOMAIN = "bounces.example.org"
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # routed to a loopback port where nothing listens
NAMESERVER = "127.0.53.54"  # the stub nameserver (dma's lab uses 127.0.53.53)
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "haraka"

LOCAL_UNKNOWN = f"nobody-here@{MTA_HOSTNAME}"
DOVECOT_USER_UNKNOWN = f"550 5.1.1 <{LOCAL_UNKNOWN}> User doesn't exist: {LOCAL_UNKNOWN}"
"""Dovecot LMTP's refusal of a user its mail store does not have."""
STRICT_DOMAIN = "strict.example.com"  # its server refuses our envelope sender
BARE_UNKNOWN = "no-such-user.bare@example.com"


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the bounce we expect back."""

    fixture: str
    recipient: str
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: accepted (or not scripted)
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    bare: bool = False  # sent through the Haraka without bounce templates


CASES: tuple[Case, ...] = (
    Case(**USER_UNKNOWN_AT_RCPT._asdict()),
    # Gmail's reply over four lines: Haraka keeps the text of each, without its codes.
    Case(**GMAIL_MULTILINE_AT_RCPT._asdict()),
    Case(**OVER_QUOTA_AT_RCPT._asdict()),
    Case(**DISABLED_AT_RCPT._asdict()),
    Case(**BLOCKLISTED_AT_RCPT._asdict()),
    Case(**LOCAL_POLICY_AT_RCPT._asdict()),
    Case(**SPAM_AFTER_DATA._asdict()),
    Case(**TOO_BIG_AFTER_DATA._asdict()),
    # One message to three people: both refusals come back in one bounce.
    Case(
        "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml",
        "jane.unknown@example.com",
        "Some recipients failed: <jane.unknown@example.com>, <john.full@example.com>",
        reply=UNKNOWN_IN_VIRTUAL_TABLE,
        others=(
            ("john.full@example.com", MAILBOX_FULL),
            ("ann.fine@example.com", None),
        ),
    ),
    Case(
        "domain-does-not-exist-nowhere-to-deliver.eml",
        f"someone@{MISSING_DOMAIN}",
        f"Nowhere to deliver mail to for domain: {MISSING_DOMAIN}",
    ),
    Case(
        "connection-refused-gave-up-after-retry.eml",
        f"reader@{DOWN_DOMAIN}",
        f"Tried all MXs {DOWN_DOMAIN}",
    ),
    Case(
        "gave-up-after-452-4.2.2-retry.eml",
        "try-later@example.com",
        "Too many failures",
        reply=TRY_LATER,
    ),
    # The envelope sender refused before any recipient is named.
    Case(
        "sender-rejected-553-5.7.1-at-mail-from.eml",
        f"sender-refused@{STRICT_DOMAIN}",
        "Sender address rejected: Access denied",
    ),
    # A Haraka whose config directory is as ``haraka -i`` made it, without
    # the bounce templates: no From, To or Subject, an empty text part.
    Case(
        "without-bounce-template-user-unknown-550-5.1.1.eml",
        BARE_UNKNOWN,
        recipient_rejected(BARE_UNKNOWN),
        reply=recipient_rejected(BARE_UNKNOWN),
        bare=True,
    ),
    # The MTA's own domain, delivered to the local mail store over LMTP.
    Case(
        "local-user-unknown-lmtp-550-5.1.1.eml",
        LOCAL_UNKNOWN,
        DOVECOT_USER_UNKNOWN,
    ),
)
# Each bounce is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in CASES}) == len(CASES)


class SenderRefuser:
    """A receiving server that refuses every envelope sender at MAIL FROM."""

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        return SENDER_REFUSED


@contextmanager
def lab() -> Iterator[tuple[list[HarakaInstance], MessageCapture, StubNameserver]]:
    """The private Harakas (with and without bounce templates) and their loopback
    neighbours, torn down afterwards."""
    receiver = ScriptedReceiver.for_cases(CASES)
    mail_store = ScriptedReceiver({LOCAL_UNKNOWN: DOVECOT_USER_UNKNOWN})
    sink = MessageCapture()
    closed = ClosedPort()
    receiver_port, store_port, sink_port, strict_port = (free_port() for _ in range(4))
    routes = {
        "example.com": (receiver_port, False),
        STRICT_DOMAIN: (strict_port, False),
        BOUNCE_DOMAIN: (sink_port, False),
        DOWN_DOMAIN: (closed.port, False),
        MTA_HOSTNAME: (store_port, True),
    }
    # Installed (if need be) before anything runs.
    harakas = [
        HarakaInstance.in_new_temp_dir(routes, NAMESERVER),
        HarakaInstance.in_new_temp_dir(routes, NAMESERVER, bounce_templates=False),
    ]
    nameserver = StubNameserver(NAMESERVER, [MISSING_DOMAIN])
    controllers = [
        start_smtp(receiver, receiver_port, "mx.example.com"),
        start_smtp(SenderRefuser(), strict_port, "strict.example.com"),
        start_lmtp(mail_store, store_port, "store.example.org"),
        start_smtp(sink, sink_port, "sink.example.org"),
    ]
    try:
        for haraka in harakas:
            haraka.start()
        yield harakas, sink, nameserver
    finally:
        for haraka in harakas:
            haraka.remove()
        for controller in controllers:
            controller.stop()
        nameserver.close()
        closed.close()


def submit(harakas: Sequence[HarakaInstance], cases: Sequence[Case]) -> None:
    """Each case's newsletter over SMTP from 127.0.0.1, as a newsletter tool hands it to its relay."""
    bare = harakas[1]  # lab()'s second: the one without bounce templates
    for haraka in harakas:
        with smtplib.SMTP(
            "127.0.0.1", haraka.smtp_port, local_hostname="news.example.org", timeout=10
        ) as smtp:
            _send(smtp, [case for case in cases if case.bare == (haraka is bare)])


def _send(smtp: smtplib.SMTP, cases: Sequence[Case]) -> None:
    for case in cases:
        others = [address for address, _ in case.others]
        smtp.send_message(
            newsletter(case.recipient, others),
            from_addr=RETURN_PATH,
            to_addrs=[case.recipient, *others],
        )


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured bounce returning this case's message, with this case's text."""
    return first_containing(captured, (message_id(case.recipient), case.expect))


def why_missing(harakas: Sequence[HarakaInstance], nameserver: StubNameserver) -> str:
    """What the Harakas still hold and said, and what DNS was asked, for a missing bounce."""
    held = "".join(f"; queued: {haraka.queued()}{haraka.log_tail()}" for haraka in harakas)
    return f"; DNS asked: {nameserver.queries}{held}"


def generate(out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    with lab() as (harakas, sink, nameserver):
        submit(harakas, CASES)
        found = wait_for_bounces(
            sink,
            CASES,
            bounce_for,
            timeout,
            lambda: why_missing(harakas, nameserver),
        )
        check_texts(CASES, found)
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
