"""Regenerate fixtures/nullmailer/*.eml: bounces that a real nullmailer 2.2 wrote, captured on loopback.

Run as root (nullmailer's paths are compiled in; the lab overlays its own in a
private mount namespace)::

    .venv/bin/python tools/nullmailer_lab/make_fixtures.py [--out fixtures/nullmailer]

What happens: Debian bookworm's ``nullmailer`` package is downloaded and
unpacked into a cache (``instance.py``; nothing is installed), its
nullmailer-send started, and one newsletter per case handed to its
``sendmail`` as a newsletter tool does (``sendmail -f
bounces@bounces.example.org rcpt...``).  nullmailer is relay-only: its
``remotes`` name one smarthost, here one SMTP server on loopback that plays
both sides (``mta_lab.switchboard``): the recipients' side, refusing each
address with a documented reply (the Postfix lab's ``ScriptedReceiver``), and
our bounce mailbox, keeping every message for ``bounces@bounces.example.org``
as it arrived.  On a permanent refusal nullmailer-send moves the message to
its failed queue and has nullmailer-dsn write an RFC 3464 report, which
nullmailer-queue puts back into nullmailer's own queue addressed to the
envelope sender; nullmailer-send then relays it to the same smarthost, so the
bounce is kept byte for byte as nullmailer sent it.

A temporary failure is retried until the message is older than
``queuelifetime`` (7 days, left at its default): the lab makes such a
message's queue file 8 days old, and the next attempt then gives it up.  The
cases about the smarthost itself (its name does not resolve: the lab's stub
nameserver says NXDOMAIN; nothing listens on its port; it refuses us at the
greeting) are sent one at a time with ``remotes`` naming that host; the
bounce nullmailer writes then waits in its queue (it meets the same host)
until ``remotes`` names the lab's server again.  Queue ids, pids, boundaries
and dates differ on every run.

What nullmailer cannot give, and so is not here: a delay warning (it writes a
report only when it gives a message up), a success notice (it knows no
NOTIFY), a lookup of a recipient's domain (it only ever talks to its
smarthost) and a local delivery (it has none: a bare local name is qualified
with the host's mailname and relayed like any address).  Its quirks are kept
as they are: a message to several recipients is refused whole at the first
refused RCPT and every recipient is reported with that one reply; a message
given up after a 4xx is reported as ``Action: delayed`` with the 4.x.x
status although no other report follows; a multi-line reply is copied into
Diagnostic-Code with its line breaks.
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
    GREETING_REFUSAL,
    MAILBOX_FULL,
    SENDER_REFUSED,
    TRY_LATER,
    UNKNOWN_JANE,
    recipient_rejected,
)
from mta_lab.refusing_greeter import RefusingGreeter
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
    GMAIL_MULTILINE_AT_RCPT,
    LOCAL_POLICY_AT_RCPT,
    OVER_QUOTA_AT_RCPT,
    SPAM_AFTER_DATA,
    TOO_BIG_AFTER_DATA,
    USER_UNKNOWN_AT_RCPT,
)
from mta_lab.switchboard import Switchboard

from nullmailer_lab.instance import NullmailerInstance, smtp_remote

MAILNAME = "mta.example.org"  # Debian's /etc/mailname: nullmailer's "me" and default host
MISSING_SMARTHOST = "smarthost.no-such-domain.example.org"  # NXDOMAIN from the stub nameserver
NAMESERVER = "127.0.25.53"  # the stub nameserver's address, in nullmailer's private resolv.conf
QUEUE_LIFETIME = 7 * 24 * 60 * 60  # nullmailer-send's default queuelifetime
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "nullmailer"
LOCAL_USER_UNKNOWN = recipient_rejected(
    f"nobody-here@{MAILNAME}", "User unknown in local recipient table"
)


@dataclass(frozen=True)
class Case:
    """One message, what meets it on the way, and the bounce we expect back.

    ``recipient`` is what the newsletter tool hands sendmail; ``address``
    what nullmailer relays it as (a bare name gets the mailname).
    """

    fixture: str
    recipient: str
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: accepted
    data_reply: str | None = None  # scripted reply to the end of DATA
    mail_reply: str | None = None  # scripted reply to MAIL FROM; None: accepted
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    expires: bool = False  # its queue file made older than queuelifetime
    # "smarthost": the lab's server; "missing": a smarthost name that does not
    # resolve; "closed": a port where nothing listens; "greeting": a server
    # that refuses us with GREETING_REFUSAL.
    via: str = "smarthost"

    @property
    def address(self) -> str:
        return self.recipient if "@" in self.recipient else f"{self.recipient}@{MAILNAME}"

    @property
    def alone(self) -> bool:
        """Sent on its own, after the others: it needs the lab set up differently."""
        return self.expires or self.via != "smarthost" or self.mail_reply is not None


CASES: tuple[Case, ...] = (
    Case(**USER_UNKNOWN_AT_RCPT._asdict()),
    # Gmail's documented reply over four lines: its line breaks stay in Diagnostic-Code.
    Case(**GMAIL_MULTILINE_AT_RCPT._asdict()),
    Case(**OVER_QUOTA_AT_RCPT._asdict()),
    Case(**DISABLED_AT_RCPT._asdict()),
    Case(**LOCAL_POLICY_AT_RCPT._asdict()),
    Case(**BLOCKLISTED_AT_RCPT._asdict()),
    Case(**SPAM_AFTER_DATA._asdict()),
    Case(**TOO_BIG_AFTER_DATA._asdict()),
    # A bare local name: nullmailer adds its mailname and relays it; the
    # smarthost (Postfix's words for its local users) does not know it.
    Case(
        "local-name-qualified-and-refused-550-5.1.1.eml",
        "nobody-here",
        "User unknown in local recipient table",
        LOCAL_USER_UNKNOWN,
    ),
    # One message to three people: nullmailer gives up the whole message at
    # the first refused RCPT and lists all three with that one reply.
    Case(
        "two-recipients-refused-whole-at-first-rcpt-550-5.1.1.eml",
        "jane.unknown@example.com",
        UNKNOWN_JANE,
        UNKNOWN_JANE,
        others=(
            ("john.full@example.com", MAILBOX_FULL),
            ("ann.fine@example.com", None),
        ),
    ),
    Case(
        "sender-rejected-553-5.7.1-at-mail-from.eml",
        "sender-refused@example.com",
        "Sender address rejected: Access denied",
        mail_reply=SENDER_REFUSED,
    ),
    # 452 until queuelifetime ran out: nullmailer's only report, written as a delay.
    Case(
        "gave-up-after-queuelifetime-452-4.2.2-reported-as-delayed.eml",
        "try-later@example.com",
        TRY_LATER,
        TRY_LATER,
        expires=True,
    ),
    # Its name does not resolve, or nothing listens: nullmailer's report says
    # "Connect failed" either way (only its log tells them apart).
    Case(
        "smarthost-name-not-found-connect-failed-after-queuelifetime.eml",
        "reader-one@example.com",
        f"Remote-MTA: dns; {MISSING_SMARTHOST} Diagnostic-Code: SMTP; Connect failed",
        expires=True,
        via="missing",
    ),
    Case(
        "smarthost-connection-refused-connect-failed-after-queuelifetime.eml",
        "reader-two@example.com",
        "Remote-MTA: dns; 127.0.0.1 Diagnostic-Code: SMTP; Connect failed",
        expires=True,
        via="closed",
    ),
    # sendmail's greeting to a client its access map rejects: a permanent refusal.
    Case(
        "smarthost-refused-at-greeting-554-not-accepting-messages.eml",
        "behind-closed-door@example.com",
        GREETING_REFUSAL,
        via="greeting",
    ),
)
# Each bounce is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in CASES}) == len(CASES)


@dataclass
class Lab:
    """The private nullmailer and its loopback neighbours, with the remotes each case needs."""

    nullmailer: NullmailerInstance
    switchboard: Switchboard
    remotes: dict[str, str]


@contextmanager
def lab() -> Iterator[Lab]:
    """The private nullmailer with its loopback neighbours, torn down afterwards."""
    switchboard = Switchboard(
        ScriptedReceiver.for_cases(CASES, lambda c: c.address), MessageCapture()
    )
    port = free_port()
    closed = ClosedPort()
    nameserver = StubNameserver(NAMESERVER, [MISSING_SMARTHOST])
    controller = start_smtp(switchboard, port, "mx.example.com")
    greeter = RefusingGreeter(GREETING_REFUSAL)
    remotes = {
        "smarthost": smtp_remote("127.0.0.1", port),
        "missing": smtp_remote(MISSING_SMARTHOST, port),
        "closed": smtp_remote("127.0.0.1", closed.port),
        "greeting": smtp_remote("127.0.0.1", greeter.port),
    }
    control = {"remotes": remotes["smarthost"], "pausetime": "1", "maxpause": "1"}
    nullmailer = None
    try:
        nullmailer = NullmailerInstance.in_new_temp_dir(control, NAMESERVER)
        nullmailer.start()
        yield Lab(nullmailer, switchboard, remotes)
    finally:
        if nullmailer is not None:
            nullmailer.remove()
        greeter.close()
        controller.stop()
        nameserver.close()
        closed.close()


def submit(lab: Lab, case: Case) -> None:
    """Hand the case's newsletter to nullmailer's sendmail."""
    others = [address for address, _ in case.others]
    message = newsletter(case.address, others).as_bytes()
    lab.nullmailer.sendmail(message, RETURN_PATH, [case.recipient, *others])


def age_past_lifetime(lab: Lab, case: Case) -> None:
    """Make the case's queued message older than queuelifetime (nullmailer reads the
    queue file's mtime), then wake nullmailer-send, whose next attempt gives it up."""
    aged = [
        name
        for name, envelope in lab.nullmailer.queued().items()
        if case.address in envelope.splitlines()[1:]
    ]
    if len(aged) != 1:
        raise RuntimeError(f"{case.fixture}: not one message queued: {lab.nullmailer.queued()}")
    lab.nullmailer.backdate(aged[0], QUEUE_LIFETIME + 24 * 60 * 60)
    lab.nullmailer.pull_trigger()


def send_alone(lab: Lab, case: Case, timeout: float) -> None:
    """One case with its own remotes (or sender refusal); its bounce then sent to the lab.

    Through another smarthost the bounce meets that host too, so it waits in
    nullmailer's queue (null sender) until the lab's server is named again.
    The queue must be empty first: the bounce of the case before, still
    queued, would meet this case's host and be taken for this case's own.
    """
    nullmailer = lab.nullmailer
    deadline = time.monotonic() + timeout
    while nullmailer.queued():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{case.fixture}: queue not empty{nullmailer.log_tail()}")
        time.sleep(0.1)
    nullmailer.set_remotes(lab.remotes[case.via])
    lab.switchboard.mail_reply = case.mail_reply
    submit(lab, case)
    if case.expires:
        age_past_lifetime(lab, case)
    while True:
        if case.via == "smarthost":
            captured = lab.switchboard.capture.wait_for(1, timeout=0)
            if bounce_for(case, captured) is not None:
                break
        if case.via != "smarthost" and any(
            envelope.startswith("\n") for envelope in nullmailer.queued().values()
        ):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"{case.fixture}: no bounce made{nullmailer.log_tail()}")
        time.sleep(0.1)
    lab.switchboard.mail_reply = None
    nullmailer.set_remotes(lab.remotes["smarthost"])
    nullmailer.pull_trigger()


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured bounce returning this case's message, with this case's text."""
    pieces = (message_id(case.address), "This is the nullmailer delivery system", case.expect)
    return first_containing(captured, pieces)


def generate(out_dir: Path, timeout: float = 30.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``.

    The cases that need the lab set up differently (``Case.alone``) start
    once every other case's bounce is in: nullmailer-send works through its
    queue on its own time, and a changed ``remotes`` or sender refusal must
    meet only the case it is for.
    """
    together = [case for case in CASES if not case.alone]
    with lab() as running:
        capture = running.switchboard.capture

        def why_missing() -> str:
            return f"; still queued: {running.nullmailer.queued()}{running.nullmailer.log_tail()}"

        for case in together:
            submit(running, case)
        wait_for_bounces(capture, together, bounce_for, timeout, why_missing)
        for case in CASES:
            if case.alone:
                send_alone(running, case, timeout)
        found = wait_for_bounces(capture, CASES, bounce_for, timeout, why_missing)
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
