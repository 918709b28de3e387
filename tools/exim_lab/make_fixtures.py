"""Regenerate fixtures/exim/*.eml: bounces that a real Exim 4 (Debian bookworm) wrote, captured on loopback.

Run as root (apt-get download works, or the cache is filled already)::

    .venv/bin/python tools/exim_lab/make_fixtures.py [--out fixtures/exim]

What happens: a private Exim (``instance.py``) takes one newsletter per case
from ``news@example.org`` (envelope sender ``bounces@bounces.example.org``) on
its command line and relays it to the Postfix lab's scripted receiving server
on loopback, which refuses each recipient with a documented reply.  Exim then
sends its own bounce to the envelope sender, which a router sends to a
capturing server; each bounce is written to a fixture named for what it
shows.  Three cases need no scripted refusal: the unknown domain is a real DNS
lookup that the resolver answers NXDOMAIN, the local user is looked up in
/etc/passwd, and the unreachable host is a loopback port where nothing
listens.  The mailboxes of ``imap.example.net`` are a real Dovecot's
(``mta_lab.dovecot_lmtp``), reached over LMTP, so its refusals are Dovecot's
own words inside Exim's bounce.  Short retry rules stand for the usual days, so the 4xx and the
refused connection end as "retry timeout exceeded" after a warning.  Message
ids and dates differ on every run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import check_texts, poll_for_bounces, write_fixtures
from mta_lab.dovecot_lmtp import (
    QUOTA_EXCEEDED,
    STORE_DOMAIN,
    STORE_FULL,
    STORE_GONE,
    STORE_MAILBOXES,
    STORE_READER,
    dovecot_lmtp,
)
from mta_lab.newsletter import RETURN_PATH, message_id, newsletter
from mta_lab.processes import free_port
from mta_lab.receiver_replies import (
    MAILBOX_OVER_LIMIT,
    TRY_LATER,
    UNKNOWN_IN_VIRTUAL_TABLE,
)
from mta_lab.servers import (
    CapturedMessage,
    ClosedPort,
    MessageCapture,
    ScriptedReceiver,
    start_smtp,
)
from mta_lab.standard_cases import (
    BLOCKLISTED_AT_RCPT,
    DISABLED_WITH_SESSION_AT_RCPT,
    MAILBOX_OVER_LIMIT_AT_RCPT,
    SPAM_AFTER_DATA,
    USER_UNKNOWN_AT_RCPT,
)

from exim_lab.instance import EximInstance

BOUNCE_DOMAIN = "bounces.example.org"
LOCAL_DOMAIN = "mta.example.org"  # Exim's own name: its users get local delivery
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # routed to a loopback port where nothing listens
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "exim"
FAILED = "Mail delivery failed"
DELAYED = "Warning: message"


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the bounce we expect back."""

    fixture: str
    recipient: str
    subject: str  # how the wanted bounce's Subject starts (failure or delay warning)
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: not scripted
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)


CASES: tuple[Case, ...] = (
    Case(**USER_UNKNOWN_AT_RCPT._asdict(), subject=FAILED),
    Case(**MAILBOX_OVER_LIMIT_AT_RCPT._asdict(), subject=FAILED),
    Case(**DISABLED_WITH_SESSION_AT_RCPT._asdict(), subject=FAILED),
    Case(**BLOCKLISTED_AT_RCPT._asdict(), subject=FAILED),
    Case(**SPAM_AFTER_DATA._asdict(), subject=FAILED),
    # One message to three people: Exim lists both refusals in one bounce.
    Case(
        "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml",
        "jane.unknown@example.com",
        FAILED,
        "User unknown in virtual mailbox table",
        reply=UNKNOWN_IN_VIRTUAL_TABLE,
        others=(
            ("john.full@example.com", MAILBOX_OVER_LIMIT),
            ("ann.fine@example.com", None),
        ),
    ),
    Case(
        "unrouteable-domain-not-found.eml",
        f"someone@{MISSING_DOMAIN}",
        FAILED,
        "Unrouteable address",
    ),
    Case(
        "local-user-unknown-unrouteable.eml",
        f"nobody-here@{LOCAL_DOMAIN}",
        FAILED,
        "Unrouteable address",
    ),
    Case(
        "delayed-warning-452-4.2.2.eml",
        "try-later@example.com",
        DELAYED,
        TRY_LATER,
        reply=TRY_LATER,
    ),
    Case(
        "retry-timeout-exceeded-after-452-4.2.2.eml",
        "try-later@example.com",
        FAILED,
        "retry timeout exceeded",
    ),
    # The mail store, not the MTA, knows its users and their quotas: Dovecot
    # refuses an unknown user at RCPT and a full mailbox after DATA.
    Case(
        "lmtp-dovecot-user-doesnt-exist-550-5.1.1.eml",
        STORE_GONE,
        FAILED,
        f"User doesn't exist: {STORE_GONE}",
    ),
    Case(
        "lmtp-dovecot-quota-exceeded-552-5.2.2.eml",
        STORE_FULL,
        FAILED,
        QUOTA_EXCEEDED,
        others=((STORE_READER, None),),
    ),
    Case(
        "retry-timeout-exceeded-connection-refused.eml",
        f"reader@{DOWN_DOMAIN}",
        FAILED,
        # Exim gives up on the host and names no reply: there was none.
        "reader@down.example.com retry timeout exceeded",
    ),
)

# The 4xx case is sent once and yields two bounces (warning, then give-up).
SUBMISSIONS: tuple[Case, ...] = tuple(
    case for case in CASES if case.fixture != "retry-timeout-exceeded-after-452-4.2.2.eml"
)
# Each bounce is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in SUBMISSIONS}) == len(SUBMISSIONS)


def routers(
    receiver_port: int, sink_port: int, closed_port: int, store_port: int
) -> dict[str, str]:
    """Exim routers: bounces to the capture, the lab's domains to loopback, local users."""

    def to_port(domain: str, port: int, transport: str = "remote_smtp") -> str:
        # "self = send": 127.0.0.1 is also Exim's own interface.
        return (
            f"driver = manualroute\ndomains = {domain}\ntransport = {transport}\n"
            f"route_list = * 127.0.0.1::{port}\nself = send"
        )

    return {
        "bounces": to_port(BOUNCE_DOMAIN, sink_port),
        "down": to_port(DOWN_DOMAIN, closed_port),
        "store": to_port(STORE_DOMAIN, store_port, "lmtp_store"),
        # A DNS lookup like any Internet domain: NXDOMAIN makes the router decline,
        # and no_more makes that "Unrouteable address" instead of the next router.
        "dns": f"driver = dnslookup\ndomains = {MISSING_DOMAIN}\ntransport = remote_smtp\nno_more",
        "receiver": to_port("example.com", receiver_port),
        # Local users only: an unknown one falls off the end, "Unrouteable address".
        "local_user": (
            f"driver = accept\ndomains = {LOCAL_DOMAIN}\ncheck_local_user\n"
            "transport = remote_smtp\nno_more"
        ),
    }


@contextmanager
def lab(timeouts: dict[str, str]) -> Iterator[tuple[EximInstance, MessageCapture]]:
    """The private Exim with its loopback neighbours, torn down afterwards."""
    receiver = ScriptedReceiver.for_cases(CASES)
    sink = MessageCapture()
    with dovecot_lmtp(STORE_MAILBOXES) as store:
        closed = ClosedPort()
        receiver_port = free_port()
        controllers = [start_smtp(receiver, receiver_port, "mx.example.com")]
        sink_port = free_port()
        controllers.append(start_smtp(sink, sink_port, "sink.example.org"))
        exim = EximInstance.in_new_temp_dir(
            routers(receiver_port, sink_port, closed.port, store.port), timeouts
        )
        try:
            exim.start()
            yield exim, sink
        finally:
            exim.remove()
            for controller in controllers:
                controller.stop()
            closed.close()


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured bounce that returns this case's message and has this case's Subject."""
    wanted_id = f"<{message_id(case.recipient)}>".encode()
    subject = f"\nSubject: {case.subject}".encode()
    for message in captured:
        head = message.data.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n")
        if wanted_id in head and subject in head:
            return message
    return None


def generate(out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    # A warning after 1 s and giving up after 6 s (the retry rule) stand for hours and days.
    with lab({"delay_warning": "1s"}) as (exim, sink):
        for case in SUBMISSIONS:
            recipients = [case.recipient, *(address for address, _ in case.others)]
            exim.submit(
                newsletter(case.recipient, [address for address, _ in case.others]).as_bytes(),
                RETURN_PATH,
                recipients,
            )
        found = poll_for_bounces(
            [(sink, CASES)], bounce_for, timeout, exim.queue_run, exim.log_tail
        )
        check_texts(CASES, found)
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
