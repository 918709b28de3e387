"""Regenerate fixtures/sendmail/*.eml: bounces that a real Sendmail 8.17 (Debian bookworm) wrote, captured on loopback.

Run as root (apt-get download works, or the cache is filled already)::

    .venv/bin/python tools/sendmail_lab/make_fixtures.py [--out fixtures/sendmail]

What happens: a private Sendmail daemon (``instance.py``) takes one
newsletter per case from ``news@example.org`` (envelope sender
``bounces@bounces.example.org``) over SMTP, as a bulk sender's own relay
would, and relays it to the Postfix lab's scripted receiving server on
loopback, which refuses each recipient with a documented reply.  Sendmail
then sends its own bounce (RFC 3464 multipart/report with its transcript) to
the envelope sender, which its mailertable sends to a capturing server; each
bounce is written to a fixture named for what it shows.  Three cases need no
scripted refusal: the unknown domain is a real DNS lookup that the resolver
answers NXDOMAIN, the unknown local user is handed to Sendmail on its command
line (over SMTP the daemon would refuse it at RCPT and send no bounce), and
the unreachable host is a loopback address where nothing listens.  A 2 s
warning and an 8 s give-up time stand for Sendmail's hours and days, so the
4xx and the refused connection warn first and then fail.  A second Sendmail
with SendMimeErrors off takes the same newsletters (all but the receipt) at
the same time and writes ``plain-text-*.eml``: the same notices as plain text,
the original pasted below the transcript.  Message ids and dates differ on
every run.
"""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import check_texts, poll_for_bounces, write_fixtures
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

from sendmail_lab.instance import HOSTNAME, SendmailInstance

BOUNCE_DOMAIN = "bounces.example.org"
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # routed to a loopback address where nothing listens
DOWN_ADDRESS = "127.0.0.2"  # not 127.0.0.1: Sendmail marks a refusing host down for the run
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "sendmail"
FAILED = "Returned mail: see transcript for details"
DELAYED = "Warning: could not send message for past"
SUCCEEDED = "Return receipt"


@dataclass(frozen=True)
class Case:
    """One message, what the receiving side does to it, and the bounce we expect back."""

    fixture: str
    recipient: str
    subject: str  # how the wanted bounce's Subject starts (failure, warning, receipt)
    expect: str  # text the bounce must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: not scripted
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    notify: str | None = None  # the RCPT NOTIFY= parameter, where the case asks for one
    command_line: bool = False  # submitted with sendmail's command line, not over SMTP


CASES: tuple[Case, ...] = (
    Case(**USER_UNKNOWN_AT_RCPT._asdict(), subject=FAILED),
    Case(**MAILBOX_OVER_LIMIT_AT_RCPT._asdict(), subject=FAILED),
    Case(**DISABLED_WITH_SESSION_AT_RCPT._asdict(), subject=FAILED),
    Case(**BLOCKLISTED_AT_RCPT._asdict(), subject=FAILED),
    Case(**SPAM_AFTER_DATA._asdict(), subject=FAILED),
    Case(
        "message-too-big-after-data-552-5.3.4.eml",
        "small-mailbox@example.com",
        FAILED,
        "552 5.3.4 Message size exceeds fixed limit",
        data_reply="552 5.3.4 Message size exceeds fixed limit",
    ),
    # One message to three people: Sendmail lists both refusals in one bounce.
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
        "host-unknown-domain-not-found-5.1.2.eml",
        f"someone@{MISSING_DOMAIN}",
        FAILED,
        "Host unknown",
    ),
    Case(
        "local-user-unknown-550-5.1.1.eml",
        f"nobody-here@{HOSTNAME}",
        FAILED,
        "User unknown",
        command_line=True,
    ),
    Case(
        "delayed-warning-452-4.2.2.eml",
        "try-later@example.com",
        DELAYED,
        TRY_LATER,
        reply=TRY_LATER,
    ),
    Case(
        "expired-after-452-4.2.2.eml",
        "try-later@example.com",
        FAILED,
        TRY_LATER,
    ),
    Case(
        "delayed-warning-connection-refused.eml",
        f"reader@{DOWN_DOMAIN}",
        DELAYED,
        "Deferred: Connection refused",
    ),
    Case(
        "expired-connection-refused.eml",
        f"reader@{DOWN_DOMAIN}",
        FAILED,
        "Connection refused",
    ),
    Case(
        "relayed-receipt-notify-success.eml",
        "happy-reader@example.com",
        SUCCEEDED,
        "relayed",
        notify="NOTIFY=SUCCESS",
    ),
)

PLAIN_TEXT = "plain-text-"
# The same cases through a Sendmail with SendMimeErrors off: its notices are
# plain text with the original pasted below the transcript, as older
# Sendmails and sites that turned MIME errors off send them. Such a Sendmail
# offers no DSN to its clients, so there is no receipt to ask it for.
PLAIN_CASES: tuple[Case, ...] = tuple(
    replace(case, fixture=PLAIN_TEXT + case.fixture) for case in CASES if case.notify is None
)
ALL_CASES: tuple[Case, ...] = CASES + PLAIN_CASES


def submissions(cases: Sequence[Case]) -> tuple[Case, ...]:
    """The cases to send: the 4xx and the refused connection are sent once
    each and yield two bounces each (warning, then give-up)."""
    return tuple(c for c in cases if not c.fixture.removeprefix(PLAIN_TEXT).startswith("expired-"))


# Each bounce is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in submissions(CASES)}) == len(submissions(CASES))


@dataclass(frozen=True)
class Run:
    """One private Sendmail, the capture its bounces go to, and the cases sent through it."""

    sendmail: SendmailInstance
    sink: MessageCapture
    cases: tuple[Case, ...]


@contextmanager
def lab() -> Iterator[tuple[Run, ...]]:
    """Two private Sendmails (RFC 3464 reports; plain-text notices) with their
    loopback neighbours, torn down afterwards. They share the scripted receiver
    and the refusing port; each sends its bounces to its own capture, so the
    same newsletters go through both at once."""
    receiver = ScriptedReceiver.for_cases(CASES)
    closed = ClosedPort(DOWN_ADDRESS)
    receiver_port = free_port()
    controllers = [start_smtp(receiver, receiver_port, "mx.example.com")]
    runs: list[Run] = []
    try:
        for mime_errors, cases in ((True, CASES), (False, PLAIN_CASES)):
            sink = MessageCapture()
            sink_port = free_port()
            controllers.append(start_smtp(sink, sink_port, "sink.example.org"))
            sendmail = SendmailInstance.in_new_temp_dir(
                free_port(),
                routes={
                    "example.com": "receiver:[127.0.0.1]",
                    BOUNCE_DOMAIN: "sink:[127.0.0.1]",
                    DOWN_DOMAIN: f"down:[{DOWN_ADDRESS}]",
                },
                mailers={"receiver": receiver_port, "sink": sink_port, "down": closed.port},
                mime_errors=mime_errors,
            )
            runs.append(Run(sendmail, sink, cases))
            sendmail.start()
        yield tuple(runs)
    finally:
        for run in runs:
            run.sendmail.remove()
        for controller in controllers:
            controller.stop()
        closed.close()


def submit(sendmail: SendmailInstance, case: Case) -> None:
    """Send the case's newsletter into Sendmail the way the case says."""
    others = [address for address, _ in case.others]
    message = newsletter(case.recipient, others)
    recipients = [case.recipient, *others]
    if case.command_line:
        sendmail.submit(message.as_bytes(), RETURN_PATH, recipients)
        return
    with smtplib.SMTP("127.0.0.1", sendmail.port, local_hostname="news.example.org") as smtp:
        options = [case.notify] if case.notify else []
        # send_message writes CRLF line ends; Sendmail refuses bare LF in DATA.
        smtp.send_message(message, RETURN_PATH, recipients, rcpt_options=options)


def bounce_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage | None:
    """The captured bounce that returns this case's message and has this case's Subject."""
    wanted_id = f"<{message_id(case.recipient)}>".encode()
    subject = f"\nSubject: {case.subject}".encode()
    for message in captured:
        text = message.data.replace(b"\r\n", b"\n")
        if wanted_id in text and subject in text.split(b"\n\n", 1)[0]:
            return message
    return None


def generate(out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    with lab() as runs:
        for run in runs:
            for case in submissions(run.cases):
                submit(run.sendmail, case)

        def run_queues() -> None:
            for run in runs:
                run.sendmail.queue_run()

        found = poll_for_bounces(
            [(run.sink, run.cases) for run in runs],
            bounce_for,
            timeout,
            run_queues,
            lambda: "".join(run.sendmail.queue_listing() for run in runs),
            look=0.25,
        )
        check_texts(ALL_CASES, found)
        return write_fixtures(out_dir, found)


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
