"""Regenerate fixtures/opensmtpd/*.eml: bounces that a real OpenSMTPD wrote, captured on loopback.

Run as root (smtpd needs it, and a private mount namespace)::

    .venv/bin/python tools/opensmtpd_lab/make_fixtures.py [--out fixtures/opensmtpd]

What happens: Debian's ``opensmtpd`` package is downloaded and unpacked into a
cache (``instance.py``; nothing is installed), and a private smtpd relays one
newsletter per case from ``news@example.org`` (envelope sender
``bounces@bounces.example.org``) to the Postfix lab's scripted receiving server
on loopback, which refuses each recipient with a documented reply.  smtpd then
writes its own bounce to the envelope sender, and a ``match`` rule relays
``bounces.example.org`` to the capture server; each bounce is written to a
fixture named for what it shows.  The unknown domain is a real DNS lookup that
the resolver answers NXDOMAIN; the local unknown user is an LMTP delivery (a
local delivery agent's refusal, through smtpd's own ``mail.lmtp``) that the
scripted LMTP server refuses.  The host that refuses connections is on
127.0.0.2: smtpd takes a refused connection as the whole route (source and
destination address, whatever the port) being down and disables it for 15 s,
which on 127.0.0.1 would hold up the bounces to the capture server too.
Envelope ids and dates differ on every run.
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
    REJECTED_AS_SPAM,
    TRY_LATER,
    UNKNOWN_JANE,
)
from mta_lab.servers import (
    CapturedMessage,
    MessageCapture,
    ScriptedReceiver,
    start_lmtp,
    start_smtp,
)
from mta_lab.standard_cases import (
    DISABLED_AT_RCPT,
    NO_SUCH_ACCOUNT_AT_RCPT,
    OVER_QUOTA_AT_RCPT,
)

from opensmtpd_lab.instance import OpenSMTPDInstance, unpacked_root

BOUNCE_DOMAIN = "bounces.example.org"
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # relayed to 127.0.0.2, where nothing listens
LOCAL_DOMAIN = "local.example.org"  # delivered by smtpd itself, over LMTP
MTA_HOSTNAME = "mta.example.org"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "opensmtpd"


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the bounce we expect back."""

    fixture: str
    recipient: str
    subject: str  # "failed", "delayed", "delivered", "relayed": the Subject ends with it
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: accepted (or not scripted)
    notify: str | None = None  # RCPT NOTIFY= parameter; None: smtpd's default
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)


CASES: tuple[Case, ...] = (
    Case(**NO_SUCH_ACCOUNT_AT_RCPT._asdict(), subject="failed"),
    Case(**OVER_QUOTA_AT_RCPT._asdict(), subject="failed"),
    Case(**DISABLED_AT_RCPT._asdict(), subject="failed"),
    Case(
        "rejected-after-data-554-5.7.1-spam.eml",
        "content-filtered@example.com",
        "failed",
        REJECTED_AS_SPAM,
        data_reply=REJECTED_AS_SPAM,
    ),
    Case(
        "blocked-by-policy-550-5.7.1.eml",
        "policy-blocked@example.com",
        "failed",
        LOCAL_POLICY,
        reply=LOCAL_POLICY,
    ),
    Case(
        "domain-does-not-exist.eml",
        f"someone@{MISSING_DOMAIN}",
        "failed",
        "Domain does not exist",
    ),
    # One message, smtpd's warning after the warn interval, then its notice at expiry.
    Case(
        "delayed-452-4.2.2.eml",
        "try-later@example.com",
        "delayed",
        TRY_LATER,
        reply=TRY_LATER,
    ),
    Case(
        "expired-after-4xx-envelope-expired.eml",
        "try-later@example.com",
        "delayed",
        "Envelope expired",
    ),
    # One message to three people: smtpd reports both refusals in one bounce.
    Case(
        "two-recipients-user-unknown-and-mailbox-full.eml",
        "jane.unknown@example.com",
        "failed",
        UNKNOWN_JANE,
        reply=UNKNOWN_JANE,
        others=(
            ("john.full@example.com", MAILBOX_FULL),
            ("ann.fine@example.com", None),
        ),
    ),
    # Local delivery over LMTP: smtpd's mail.lmtp reports the LMTP server's 550 as
    # a temporary error, so smtpd sends a delay warning quoting it (and retries).
    # A relay host that refuses connections: a warning, then (not kept) the expiry.
    Case(
        "connection-refused-network-error-delayed.eml",
        f"reader@{DOWN_DOMAIN}",
        "delayed",
        "Network error on destination MXs",
    ),
    Case(
        "local-lmtp-user-unknown-550-5.1.1-sent-as-delayed.eml",
        f"gone@{LOCAL_DOMAIN}",
        "delayed",
        "mail.lmtp: LMTP server error: 550 5.1.1",
        reply=f"550 5.1.1 <gone@{LOCAL_DOMAIN}>: User unknown",
    ),
    # Success notices asked for with NOTIFY=SUCCESS: smtpd's own (LMTP) delivery
    # says "delivered"; handing over to the next SMTP server says "relayed".
    Case(
        "delivered-success-lmtp-notify-success.eml",
        f"delivered@{LOCAL_DOMAIN}",
        "delivered",
        "Your message was successfully delivered to these recipients.",
        notify="SUCCESS",
    ),
    Case(
        "relayed-success-notify-success.eml",
        "relayed@example.com",
        "relayed",
        "Your message was relayed to these recipients.",
        notify="SUCCESS",
    ),
)

# The delay case is sent once and yields two bounces (warning, then expiry).
SUBMISSIONS: tuple[Case, ...] = tuple(
    case for case in CASES if case.fixture != "expired-after-4xx-envelope-expired.eml"
)
# Each bounce is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in SUBMISSIONS}) == len(SUBMISSIONS)


def smtpd_conf(smtpd_port: int, receiver_port: int, sink_port: int, lmtp_port: int) -> str:
    """The lab's smtpd.conf: every domain goes to a loopback server, none leaves the machine.

    A warning after 2 s and expiry after 6 s stand for the usual 4 h and 4 days.
    The LMTP action hands the original recipient (``rcpt-to``) to the LMTP
    server as the ``nobody`` user, so no local account is needed.
    """
    return f"""\
queue ttl 6s
bounce warn-interval 2s
listen on 127.0.0.1 port {smtpd_port} hostname {MTA_HOSTNAME}
table everyone {{ "@" = "nobody" }}
action "capture" relay host smtp://127.0.0.1:{sink_port}
action "scripted" relay host smtp://127.0.0.1:{receiver_port}
action "dns" relay
action "down" relay host smtp://127.0.0.2:{free_port()}
action "lmtp" lmtp "127.0.0.1:{lmtp_port}" rcpt-to virtual <everyone>
match from any for domain "{BOUNCE_DOMAIN}" action "capture"
match from any for domain "{MISSING_DOMAIN}" action "dns"
match from any for domain "{DOWN_DOMAIN}" action "down"
match from any for domain "{LOCAL_DOMAIN}" action "lmtp"
match from any for any action "scripted"
"""


@contextmanager
def lab() -> Iterator[tuple[OpenSMTPDInstance, MessageCapture, ScriptedReceiver]]:
    """The private smtpd with its loopback neighbours, torn down afterwards."""
    receiver = ScriptedReceiver.for_cases(CASES)
    sink = MessageCapture()
    receiver_port, sink_port, lmtp_port, smtpd_port = (free_port() for _ in range(4))
    controllers = [
        start_smtp(receiver, receiver_port, "mx.example.com"),
        start_smtp(sink, sink_port, "sink.example.org"),
        start_lmtp(receiver, lmtp_port, "lmtp.local.example.org"),
    ]
    smtpd = OpenSMTPDInstance.in_new_temp_dir(
        smtpd_conf(smtpd_port, receiver_port, sink_port, lmtp_port), smtpd_port, unpacked_root()
    )
    try:
        smtpd.start()
        yield smtpd, sink, receiver
    finally:
        smtpd.remove()
        for controller in controllers:
            controller.stop()


def submit(smtpd: OpenSMTPDInstance, cases: Sequence[Case]) -> None:
    with smtplib.SMTP(
        "127.0.0.1", smtpd.smtpd_port, local_hostname="news.example.org", timeout=10
    ) as smtp:
        for case in cases:
            smtp.send_message(
                newsletter(case.recipient, [address for address, _ in case.others]),
                from_addr=RETURN_PATH,
                to_addrs=[case.recipient, *(address for address, _ in case.others)],
                rcpt_options=[f"NOTIFY={case.notify}"] if case.notify else [],
            )


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured bounce about this case's message, with this case's subject and text."""
    subject = f"Subject: Delivery status notification: {case.subject}"
    return first_containing(captured, (message_id(case.recipient), subject, case.expect))


def generate(out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    with lab() as (smtpd, sink, _receiver):
        submit(smtpd, SUBMISSIONS)
        # More bounces than cases arrive (expiry notices of the local and the
        # refused case too), in
        # no fixed order: wait until every case has its own, or the time is up.
        found = wait_for_bounces(sink, CASES, bounce_for, timeout, lambda: smtpd.log_tail(60))
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
