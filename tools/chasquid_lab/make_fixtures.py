"""Regenerate fixtures/chasquid/*.eml: bounces that a real chasquid 1.11 wrote, captured on loopback.

Run as root (a private mount namespace; apt-get download works, or the cache is filled already)::

    .venv/bin/python tools/chasquid_lab/make_fixtures.py [--out fixtures/chasquid]

What happens: a private chasquid (``instance.py``: Debian bookworm's
chasquid, unpacked, never installed) hosts the bounce domain
``bounces.example.org``: the newsletter tool logs in as its user
``bounces@bounces.example.org`` on the submission port and sends one
newsletter per case from that envelope sender.  chasquid looks up each
recipient's domain and delivers to the Postfix lab's scripted receiving
server on loopback, which refuses each recipient with a documented reply.
chasquid then writes its delivery status notification to the envelope
sender, a local user of its own, and hands it to its local delivery agent,
``mda-lmtp`` (from the same package), which passes it over LMTP to a
capturing server: that is how chasquid hands mail to Dovecot, or to a bounce
mailbox like ours.  Each notice is written to a fixture named for what it
shows.  Queue ids and dates differ on every run.

Cases that need no scripted refusal: the unknown domain is a real lookup
that the stub nameserver answers NXDOMAIN (chasquid takes that as a
temporary failure and retries it); the host that refuses connections is a
name the private hosts file puts on 127.0.0.2, where nothing listens; the
unknown local user is one that chasquid knows but the LMTP server behind it
refuses, with Dovecot's words (a user chasquid itself does not know is
refused at submission, before anything is queued); ``mda-lmtp`` reports
every refusal as a temporary failure, so chasquid retries that one too.
chasquid gives up only after 20 hours (compiled in), so the four temporary
failures are made a day old in its queue (``age_queue``) and chasquid
restarted, which then gives up on them at once: each notice says "failed
repeatedly and timed out" with the last error.

What chasquid cannot give, and so is not here: a delay warning (it sends
none) and a success notice (it does not implement NOTIFY).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import first_containing, wait_for_bounces, write_fixtures
from mta_lab.nameserver import StubNameserver
from mta_lab.newsletter import RETURN_PATH, message_id, newsletter
from mta_lab.processes import free_port
from mta_lab.receiver_replies import (
    MAILBOX_FULL,
    TRY_LATER,
    UNKNOWN_JANE,
)
from mta_lab.servers import (
    ACCEPTED,
    CapturedMessage,
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
    NO_SUCH_ACCOUNT_AT_RCPT,
    OVER_QUOTA_AT_RCPT,
    SPAM_AFTER_DATA,
    TOO_BIG_AFTER_DATA,
)

from chasquid_lab.instance import ChasquidInstance

BOUNCE_DOMAIN = RETURN_PATH.split("@", 1)[1]
RECIPIENT_DOMAIN = "example.com"  # NXDOMAIN at the stub, then 127.0.0.1 in the private hosts
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # on 127.0.0.2 in the private hosts: nothing listens there
NAMESERVER = "127.0.54.54"  # the stub nameserver's address (dma's lab uses 127.0.53.53)
GONE_LOCAL = f"gone@{BOUNCE_DOMAIN}"
DOVECOT_NO_SUCH_USER = f"550 5.1.1 <{GONE_LOCAL}> User doesn't exist: {GONE_LOCAL}"
"""Dovecot LMTP's refusal of a user its userdb does not have."""

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "chasquid"
PASSWORD = "lab-password"


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the notice we expect back."""

    fixture: str
    recipient: str
    expect: str  # text the notice must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: accepted (or not scripted)
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    expires: bool = False  # retried until chasquid gives up (its queue aged a day)


CASES: tuple[Case, ...] = (
    Case(**NO_SUCH_ACCOUNT_AT_RCPT._asdict()),
    # Gmail's documented reply over four lines.
    Case(**GMAIL_MULTILINE_AT_RCPT._asdict()),
    Case(**OVER_QUOTA_AT_RCPT._asdict()),
    Case(**DISABLED_AT_RCPT._asdict()),
    Case(**LOCAL_POLICY_AT_RCPT._asdict()),
    Case(**BLOCKLISTED_AT_RCPT._asdict()),
    Case(**SPAM_AFTER_DATA._asdict()),
    Case(**TOO_BIG_AFTER_DATA._asdict()),
    # One message to three people, two refused: one notice names both.
    Case(
        "two-recipients-550-5.1.1-and-552-5.2.2.eml",
        "jane.unknown@example.com",
        MAILBOX_FULL,
        UNKNOWN_JANE,
        others=(("john.full@example.com", MAILBOX_FULL), ("ann.fine@example.com", None)),
    ),
    # mda-lmtp ends with EX_TEMPFAIL (75) whatever the LMTP server said, so
    # chasquid retries even this 550 until it gives up.
    Case(
        "local-user-unknown-at-lmtp-550-5.1.1-timed-out.eml",
        GONE_LOCAL,
        "User doesn't exist",
        expires=True,
    ),
    Case(
        "gave-up-after-452-4.2.2-timed-out.eml",
        "try-later@example.com",
        "failed repeatedly and timed out",
        TRY_LATER,
        expires=True,
    ),
    Case(
        "domain-does-not-exist-no-such-host-timed-out.eml",
        f"someone@{MISSING_DOMAIN}",
        "no such host",
        expires=True,
    ),
    Case(
        "host-refuses-connections-timed-out.eml",
        f"someone@{DOWN_DOMAIN}",
        "connection refused",
        expires=True,
    ),
)


class LocalMailboxes:
    """The LMTP server behind chasquid's ``mda-lmtp``: keeps the bounces, refuses the gone user.

    It stands for Dovecot (or a bounce mailbox) holding the local domain's
    mailboxes, which may lack a user that chasquid still knows.
    """

    def __init__(self, capture: MessageCapture) -> None:
        self.capture = capture

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() == GONE_LOCAL:
            return DOVECOT_NO_SUCH_USER
        envelope.rcpt_tos.append(address)
        return ACCEPTED

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return await self.capture.handle_DATA(server, session, envelope)


@contextmanager
def lab() -> Iterator[tuple[ChasquidInstance, MessageCapture]]:
    """The private chasquid with its loopback neighbours, torn down afterwards."""
    capture = MessageCapture()
    receiver = ScriptedReceiver.for_cases(CASES)
    smtp_port, lmtp_port = free_port(), free_port()
    chasquid = ChasquidInstance.in_new_temp_dir(
        smtp_port,
        lmtp_port,
        NAMESERVER,
        {RECIPIENT_DOMAIN: "127.0.0.1", DOWN_DOMAIN: "127.0.0.2"},
        {RETURN_PATH: PASSWORD, GONE_LOCAL: PASSWORD},
    )
    nameserver = smtp = lmtp = None
    try:
        nameserver = StubNameserver(NAMESERVER, [RECIPIENT_DOMAIN, DOWN_DOMAIN, MISSING_DOMAIN])
        smtp = start_smtp(receiver, smtp_port, "mx.example.com")
        lmtp = start_lmtp(LocalMailboxes(capture), lmtp_port, "mailbox.example.org")
        chasquid.start()
        yield chasquid, capture
    finally:
        chasquid.remove()
        for server in (lmtp, smtp):
            if server is not None:
                server.stop()
        if nameserver is not None:
            nameserver.close()


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured notice returning this case's message, naming its recipient, with its text."""
    pieces = (message_id(case.recipient), f'"{case.recipient}"', case.expect)
    return first_containing(captured, pieces)


def wait_for_attempts(chasquid: ChasquidInstance, count: int, timeout: float) -> None:
    """Wait until `count` queued messages carry a failure (each was tried once)."""
    deadline = time.monotonic() + timeout
    while sum("last_failure_message" in text for text in chasquid.queued()) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"not {count} messages tried: {chasquid.queued()}{chasquid.log_tail()}"
            )
        time.sleep(0.1)


def generate(out_dir: Path, timeout: float = 30.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    with lab() as (chasquid, capture):
        for case in CASES:
            recipients = [case.recipient, *(address for address, _ in case.others)]
            original = newsletter(case.recipient, recipients[1:]).as_bytes()
            chasquid.submit(original, RETURN_PATH, recipients)
        now = [case for case in CASES if not case.expires]
        later = [case for case in CASES if case.expires]

        def why_missing() -> str:
            return f"; queue: {chasquid.queued()}{chasquid.log_tail()}"

        found = wait_for_bounces(capture, now, bounce_for, timeout, why_missing)
        wait_for_attempts(chasquid, len(later), timeout)
        chasquid.age_queue()
        found.update(wait_for_bounces(capture, later, bounce_for, timeout, why_missing))
        return write_fixtures(out_dir, {case.fixture: found[case.fixture] for case in CASES})


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
