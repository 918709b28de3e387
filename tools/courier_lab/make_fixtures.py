"""Regenerate fixtures/courier/*.eml: bounces that a real Courier MTA 1.0.16 wrote, captured on loopback.

Run as root (a private mount namespace; apt-get download works, or the cache is filled already)::

    .venv/bin/python tools/courier_lab/make_fixtures.py [--out fixtures/courier]

What happens: a private Courier (``instance.py``: Debian bookworm's
courier-mta, unpacked, never installed) takes one newsletter per case from
``news@example.org`` (envelope sender ``bounces@bounces.example.org``) over
ESMTP and relays it to the Postfix lab's scripted receiving server on
loopback, which refuses each recipient with a documented reply.  Courier
then sends its own delivery status notification to the envelope sender,
which ``esmtproutes`` sends to a capturing server; each one is written to a
fixture named for what it shows.  Cases that need no scripted refusal: the
unknown domain is a real DNS lookup that the resolver answers NXDOMAIN, the
local user is looked up in the system's accounts (through Courier's
authdaemond) for a message handed to Courier's own sendmail, and the
unreachable host is a loopback port where nothing listens.  Short
``warntime``/``queuetime`` and retry settings stand for the usual hours and
days, so a 4xx and the refused connection give a delay warning, then a
failure.  Queue ids and dates differ on every run.
"""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import first_containing, wait_for_bounces, write_fixtures
from mta_lab.newsletter import RETURN_PATH, message_id, newsletter
from mta_lab.processes import free_port
from mta_lab.receiver_replies import (
    LOCAL_POLICY,
    MAILBOX_FULL,
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
    DISABLED_AT_RCPT,
    OVER_QUOTA_AT_RCPT,
    SPAM_AFTER_DATA,
    USER_UNKNOWN_AT_RCPT,
)

from courier_lab.instance import CourierInstance

BOUNCE_DOMAIN = "bounces.example.org"
MTA_HOSTNAME = "mta.example.org"  # Courier's "me": also a local domain (its users get local mail)
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # routed to a loopback port where nothing listens
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "courier"
FAILED = "NOTICE: mail delivery status."  # Courier's Subject for failures and success notices
DELAYED = "WARNING: delayed mail."


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the notice we expect back."""

    fixture: str
    recipient: str
    subject: str  # the wanted notice's Subject (Courier's dsnsubjectnotice/warn)
    expect: str  # text the notice must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: accepted (or not scripted)
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    notify: str = "FAILURE,DELAY"  # RCPT NOTIFY=, as a bulk sender asks for
    local: bool = False  # handed to Courier's sendmail instead of ESMTP


CASES: tuple[Case, ...] = (
    Case(**USER_UNKNOWN_AT_RCPT._asdict(), subject=FAILED),
    Case(**OVER_QUOTA_AT_RCPT._asdict(), subject=FAILED),
    Case(**DISABLED_AT_RCPT._asdict(), subject=FAILED),
    Case(**BLOCKLISTED_AT_RCPT._asdict(), subject=FAILED),
    Case(
        "blocked-by-policy-550-5.7.1.eml",
        "policy-blocked@example.com",
        FAILED,
        LOCAL_POLICY,
        reply=LOCAL_POLICY,
    ),
    Case(**SPAM_AFTER_DATA._asdict(), subject=FAILED),
    # One message to three people: both refusals come back in one notice.
    Case(
        "two-recipients-user-unknown-5.1.1-and-mailbox-full-5.2.2.eml",
        "jane.unknown@example.com",
        FAILED,
        "User unknown in virtual mailbox table",
        reply=UNKNOWN_IN_VIRTUAL_TABLE,
        others=(
            ("john.full@example.com", MAILBOX_FULL),
            ("ann.fine@example.com", None),
        ),
    ),
    Case(
        "domain-not-found.eml",
        f"someone@{MISSING_DOMAIN}",
        FAILED,
        "someone@no-such-domain.example.com",
    ),
    Case(
        "local-user-unknown.eml",
        f"nobody-here@{MTA_HOSTNAME}",
        FAILED,
        "nobody-here@mta.example.org",
        local=True,
    ),
    # One message: Courier's warning after warntime, then its failure at queuetime.
    Case(
        "delayed-warning-452-4.2.2.eml",
        "try-later@example.com",
        DELAYED,
        TRY_LATER,
        reply=TRY_LATER,
    ),
    Case(
        "failed-after-queuetime-452-4.2.2.eml",
        "try-later@example.com",
        FAILED,
        TRY_LATER,
    ),
    Case(
        "connection-refused-delayed-warning.eml",
        f"reader@{DOWN_DOMAIN}",
        DELAYED,
        "reader@down.example.com",
    ),
    Case(
        "connection-refused-failed-after-queuetime.eml",
        f"reader@{DOWN_DOMAIN}",
        FAILED,
        "reader@down.example.com",
    ),
    # A success notice asked for with NOTIFY=SUCCESS: the receiving server does not
    # offer DSN, so Courier says it relayed the message (it cannot vouch for delivery).
    Case(
        "relayed-success-notify-success.eml",
        "relayed@example.com",
        FAILED,
        "relayed@example.com",
        notify="SUCCESS",
    ),
    # Courier's own delivery (an alias to a mailbox file in its queue directory).
    Case(
        "delivered-success-local-notify-success.eml",
        f"delivered@{MTA_HOSTNAME}",
        FAILED,
        "delivered@mta.example.org",
        notify="SUCCESS",
    ),
)

# Each of the two retried messages yields two notices (warning, then failure).
SUBMISSIONS: tuple[Case, ...] = tuple(
    case
    for case in CASES
    if case.fixture
    not in ("failed-after-queuetime-452-4.2.2.eml", "connection-refused-failed-after-queuetime.eml")
)
# Each notice is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in SUBMISSIONS}) == len(SUBMISSIONS)


def control_files(receiver_port: int, sink_port: int, closed_port: int) -> dict[str, str]:
    """Courier's control files for the lab (see courier(8)).

    ``esmtproutes`` sends each lab domain to a loopback port; the missing
    domain is left to DNS.  A warning after 3 s and giving up after 10 s,
    retrying every 1-2 s, stand for the usual 4 hours and a week.
    """
    return {
        "me": MTA_HOSTNAME,
        "defaultdomain": MTA_HOSTNAME,
        "locals": f"localhost\n{MTA_HOSTNAME}",
        "dsnfrom": f"mailer-daemon@{MTA_HOSTNAME}",  # what Debian's postinst writes by default
        "esmtproutes": (
            f"{BOUNCE_DOMAIN}: [127.0.0.1],{sink_port}\n"
            f"{DOWN_DOMAIN}: [127.0.0.1],{closed_port}\n"
            f"example.com: [127.0.0.1],{receiver_port}"
        ),
        "warntime": "3s",
        "queuetime": "10s",
        "retryalpha": "1s",
        "retrybeta": "2",
        "retrygamma": "2s",
        "retrymaxdelta": "1",
        "esmtpdelay": "0",  # a refused host is tried again at each retry, not held off 5 min
        "queuefill": "1s",
        # A local address whose mail Courier delivers itself, to a file it may write.
        "aliases/lab": "delivered: /var/lib/courier/lab-mailbox",
    }


# The newsletter's sender domains do not resolve (example.org), and Courier's
# tarpit slows every refused command by seconds: both off for the lab.
ESMTPD_SETTINGS = {"BOFHCHECKDNS": "0", "TARPIT": "0"}


@contextmanager
def lab() -> Iterator[tuple[CourierInstance, MessageCapture]]:
    """The private Courier with its loopback neighbours, torn down afterwards."""
    receiver = ScriptedReceiver.for_cases(CASES)
    sink = MessageCapture()
    closed = ClosedPort()
    receiver_port, sink_port = free_port(), free_port()
    controllers = [
        start_smtp(receiver, receiver_port, "mx.example.com"),
        start_smtp(sink, sink_port, "sink.example.org"),
    ]
    courier = CourierInstance.in_new_temp_dir(
        control_files(receiver_port, sink_port, closed.port), free_port(), ESMTPD_SETTINGS
    )
    try:
        courier.start()
        yield courier, sink
    finally:
        courier.remove()
        for controller in controllers:
            controller.stop()
        closed.close()


def submit(courier: CourierInstance, cases: Sequence[Case]) -> None:
    """Each case's newsletter: over ESMTP from loopback (allowed to relay), or to sendmail."""
    with smtplib.SMTP(
        "127.0.0.1", courier.smtp_port, local_hostname="news.example.org", timeout=10
    ) as smtp:
        for case in cases:
            others = [address for address, _ in case.others]
            message = newsletter(case.recipient, others)
            if case.local:
                courier.sendmail(message.as_bytes(), RETURN_PATH, [case.recipient, *others])
                continue
            smtp.send_message(
                message,
                from_addr=RETURN_PATH,
                to_addrs=[case.recipient, *others],
                rcpt_options=[f"NOTIFY={case.notify}"],
            )


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured notice about this case's message, with this case's Subject and text."""
    subject = f"Subject: {case.subject}"
    return first_containing(captured, (message_id(case.recipient), subject, case.expect))


def generate(out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    with lab() as (courier, sink):
        submit(courier, SUBMISSIONS)
        found = wait_for_bounces(sink, CASES, bounce_for, timeout, courier.log_tail)
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
