"""Regenerate fixtures/dma/*.eml: bounces that a real dma (DragonFly Mail Agent 0.13) wrote.

Run as root (dma's /etc/dma/dma.conf is compiled in; the lab overlays its own
in a private mount namespace)::

    .venv/bin/python tools/dma_lab/make_fixtures.py [--out fixtures/dma]

What happens: Debian bookworm's ``dma`` package is downloaded and unpacked
into a cache (``instance.py``; nothing is installed) and run the way a
newsletter tool runs sendmail: ``dma -f bounces@bounces.example.org rcpt...``
with the message on stdin, one call per case.  dma is set up as it mostly
is, with a smarthost: every message goes to one SMTP server on loopback,
which plays both sides (``Switchboard``): the recipients' mail server,
refusing each address with a documented reply (the Postfix lab's
``ScriptedReceiver``), and our bounce mailbox, keeping every message for
``bounces@bounces.example.org`` as it arrived (``MessageCapture``).  A
refused recipient makes dma write a bounce to the envelope sender and send
it the same way, over SMTP, so the bounce is kept byte for byte as dma sent
it (local delivery into an mbox would have added a From_ line and quoting).

The unknown domain needs dma's own MX lookup, so that case is sent with the
smarthost off, and the lab's stub nameserver answers NXDOMAIN; the bounce
then stays queued (its own lookup fails for the moment) until the smarthost
is back and a queue run sends it (``send_rerouted``; the refusal at the
greeting goes the same way, through ``RefusingGreeter``).  dma gives a deferred
message up only after five days (compiled in): the 4xx case is queued
(``-bq``), its queue file made six days old, and the queue run (``-q``) then
meets the 4xx and gives up.  A real (smarthost) dma also ends a failed AUTH
or a refused greeting this way, as a deferral it gives up on: the same text.
Queue ids and dates differ on every run.

dma writes a multi-line reply into its bounce with the server's CRLF still on
each line; on the wire those lines end in CR CR LF, and the fixtures (LF line
ends, as a mailbox keeps them) keep the extra CR.

What dma cannot give, and so is not here: a delay warning or a success
notice (it sends neither; it knows no NOTIFY), one bounce naming several
recipients (each recipient is delivered, and bounced, on its own: the
two-recipient case yields two bounces), and a bounce for an unknown local
user (dma refuses such an address when it is submitted, "invalid
recipient", before anything is queued).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import first_containing, wait_for_bounces, write_fixtures
from mta_lab.nameserver import StubNameserver
from mta_lab.newsletter import RETURN_PATH, message_id, newsletter
from mta_lab.processes import free_port
from mta_lab.receiver_replies import (
    GMAIL_NO_SUCH_USER,
    GREETING_REFUSAL,
    SENDER_REFUSED,
    TRY_LATER,
    UNKNOWN_JANE,
)
from mta_lab.refusing_greeter import RefusingGreeter
from mta_lab.servers import CapturedMessage, MessageCapture, ScriptedReceiver, start_smtp
from mta_lab.standard_cases import (
    BLOCKLISTED_AT_RCPT,
    DISABLED_AT_RCPT,
    LOCAL_POLICY_AT_RCPT,
    NO_SUCH_ACCOUNT_AT_RCPT,
    OVER_QUOTA_AT_RCPT,
    SPAM_AFTER_DATA,
    TOO_BIG_AFTER_DATA,
)
from mta_lab.switchboard import Switchboard

from dma_lab.instance import DmaInstance, unpacked_dma

MISSING_DOMAIN = "no-such-domain.example.com"
NAMESERVER = "127.0.53.53"  # the stub nameserver's address, in dma's private resolv.conf
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "dma"


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the bounce we expect back.

    ``bounced`` is the recipient the bounce is about (the first one unless
    the message had several, each bounced on its own).
    """

    fixture: str
    recipient: str
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: accepted
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    bounced: str | None = None
    expires: bool = False  # queued, aged past dma's give-up time, then retried
    # "smarthost": the lab's server; "mx": dma's own MX lookup; "greeting": a
    # smarthost that refuses the connection with ``reply`` as its greeting.
    via: str = "smarthost"
    full_bounce: bool = False  # dma set to return the whole message (FULLBOUNCE)
    mail_reply: str | None = None  # scripted reply to MAIL FROM; None: accepted

    @property
    def about(self) -> str:
        return self.bounced or self.recipient


FULL_JOHN = "552 5.2.2 <john.full@example.com>: Mailbox full"
TWO_REFUSED = (("john.full@example.com", FULL_JOHN), ("ann.fine@example.com", None))

CASES: tuple[Case, ...] = (
    Case(**NO_SUCH_ACCOUNT_AT_RCPT._asdict()),
    # Gmail's documented reply, over several lines, with the whole message returned.
    Case(
        "user-unknown-multiline-550-5.1.1-full-bounce.eml",
        "gmail-style-unknown@example.com",
        "https://support.google.com/mail/?p=NoSuchUser",
        reply=GMAIL_NO_SUCH_USER,
        full_bounce=True,
    ),
    Case(**OVER_QUOTA_AT_RCPT._asdict()),
    Case(**DISABLED_AT_RCPT._asdict()),
    Case(**LOCAL_POLICY_AT_RCPT._asdict()),
    # sendmail's greeting to a client its access map rejects: refused at connect.
    Case(
        "refused-at-greeting-554-not-accepting-messages.eml",
        "behind-closed-door@example.com",
        GREETING_REFUSAL,
        reply=GREETING_REFUSAL,
        via="greeting",
    ),
    # Our sending host on a DNS blocklist (Spamhaus' documented wording).
    Case(**BLOCKLISTED_AT_RCPT._asdict()),
    # The envelope sender refused before any recipient is named.
    Case(
        "sender-rejected-553-5.7.1-at-mail-from.eml",
        "sender-refused@example.com",
        "Sender address rejected: Access denied",
        mail_reply=SENDER_REFUSED,
    ),
    Case(**TOO_BIG_AFTER_DATA._asdict()),
    Case(**SPAM_AFTER_DATA._asdict()),
    Case(
        "domain-does-not-exist-dns-lookup-failure.eml",
        f"someone@{MISSING_DOMAIN}",
        f"DNS lookup failure: host {MISSING_DOMAIN} not found",
        via="mx",
    ),
    Case(
        "gave-up-after-452-4.2.2-for-five-days.eml",
        "try-later@example.com",
        "Could not deliver for the last",
        reply=TRY_LATER,
        expires=True,
    ),
    # One message to three people: dma delivers each on its own and sends one
    # bounce per refused recipient, each returning the same original.
    Case(
        "two-recipients-bounce-for-user-unknown-550-5.1.1.eml",
        "jane.unknown@example.com",
        UNKNOWN_JANE,
        reply=UNKNOWN_JANE,
        others=TWO_REFUSED,
    ),
    Case(
        "two-recipients-bounce-for-mailbox-full-552-5.2.2.eml",
        "jane.unknown@example.com",
        FULL_JOHN,
        reply=UNKNOWN_JANE,
        others=TWO_REFUSED,
        bounced="john.full@example.com",
    ),
)

# The two-recipient message is sent once and yields both of its bounces.
SUBMISSIONS: tuple[Case, ...] = tuple({case.recipient: case for case in CASES}.values())


@contextmanager
def lab() -> Iterator[tuple[DmaInstance, Switchboard, RefusingGreeter]]:
    """The private dma with its loopback neighbours, torn down afterwards."""
    capture = MessageCapture()
    switchboard = Switchboard(ScriptedReceiver.for_cases(CASES), capture)
    port = free_port()
    unpacked_dma()  # before anything starts: a failed download leaves nothing running
    nameserver = StubNameserver(NAMESERVER, [MISSING_DOMAIN])
    controller = start_smtp(switchboard, port, "mx.example.com")
    greeter = RefusingGreeter(GREETING_REFUSAL)
    dma = None
    try:
        dma = DmaInstance.in_new_temp_dir(port, NAMESERVER)
        yield dma, switchboard, greeter
    finally:
        if dma is not None:
            dma.remove()
        greeter.close()
        controller.stop()
        nameserver.close()


def send_rerouted(
    dma: DmaInstance, message: bytes, recipients: Sequence[str], timeout: float
) -> None:
    """Submit as dma is set up now, then send the bounce it queued through the lab's server.

    Set up without the smarthost, dma looks the domain up itself and
    bounces, and the bounce's own MX lookup then fails for the moment (the
    stub nameserver's SERVFAIL); set up with the refusing greeter, the
    bounce meets its 421. Either way dma keeps the bounce queued and retries
    later. That retrying process is ended, the lab's smarthost put back, and
    a queue run hands the bounce, as dma queued it, to the lab's server like
    every other bounce.
    """
    process = dma.start(*dma.submission(RETURN_PATH, recipients))
    assert process.stdin is not None
    process.stdin.write(message)
    process.stdin.close()
    deadline = time.monotonic() + timeout
    # Only the bounce left: dma removes the original right after queueing it.
    while [f"Recipient: {RETURN_PATH}" in text for text in dma.envelopes()] != [True]:
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read() if process.stdout else b""
            raise RuntimeError(f"dma queued no bounce: {output!r}; spool: {dma.queued()}")
        time.sleep(0.1)
    dma.end(process)
    dma.use_smarthost()
    dma.flush()


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured bounce about this case's recipient, returning its message, with its text."""
    about = f"error delivering your mail to <{case.about}>"
    return first_containing(captured, (message_id(case.recipient), about, case.expect))


def generate(out_dir: Path, timeout: float = 30.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    with lab() as (dma, switchboard, greeter):
        capture = switchboard.capture
        for case in SUBMISSIONS:
            switchboard.mail_reply = case.mail_reply
            recipients = [case.recipient, *(address for address, _ in case.others)]
            original = newsletter(case.recipient, recipients[1:]).as_bytes()
            if case.via != "smarthost":
                if case.via == "mx":
                    dma.use_smarthost(False)
                else:
                    dma.use_smarthost(port=greeter.port)
                send_rerouted(dma, original, recipients, timeout)
                continue
            dma.use_smarthost(full_bounce=case.full_bounce)
            dma.send(original, RETURN_PATH, recipients, queue_only=case.expires)
            if case.expires:
                if dma.backdate_queue() != 1:
                    raise RuntimeError(f"{case.fixture}: not one message queued: {dma.queued()}")
                dma.flush()
        # dma forks a delivery for each extra recipient: those bounces may come last.
        found = wait_for_bounces(
            capture, CASES, bounce_for, timeout, lambda: f"; still queued: {dma.queued()}"
        )
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
