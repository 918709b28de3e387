"""Regenerate fixtures/postfix/*.eml: DSNs that a real Postfix wrote, captured on loopback.

Run as root on a machine with the ``postfix`` package installed::

    .venv/bin/python tools/postfix_lab/make_fixtures.py [--out fixtures/postfix]

What happens: a private Postfix (``instance.py``) relays one newsletter per
case from ``news@example.org`` (envelope sender ``bounces@bounces.example.org``)
to a scripted receiving server on loopback that refuses each recipient with the
reply of the product documentation.  Postfix then writes its own DSNs to the
Return-Path, and its transport map sends ``bounces.example.org`` to a capturing
server; each DSN is written to a fixture named for what it shows.  Two cases
need no scripted refusal: the unknown domain is a real DNS lookup that the
resolver answers NXDOMAIN, and the success DSN comes from an LMTP delivery
requested with NOTIFY=SUCCESS.  The mailboxes of ``imap.example.net`` are a
real Dovecot's (``mta_lab.dovecot_lmtp``), reached over LMTP, so its refusals
are Dovecot's own words inside Postfix's DSN.  Queue ids and dates differ on
every run.
"""

from __future__ import annotations

import os
import pwd
import smtplib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the lab packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mta_lab import fixture_cli
from mta_lab.bounce_collection import check_envelope, write_fixtures
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
    DISABLED_WITH_SESSION_ID,
    MAILBOX_OVER_LIMIT,
    REJECTED_AS_SPAM,
    TRY_LATER,
    UNKNOWN_IN_VIRTUAL_TABLE,
    recipient_rejected,
)
from mta_lab.servers import (
    CapturedMessage,
    MessageCapture,
    ScriptedReceiver,
    start_smtp,
)

from postfix_lab.instance import PostfixInstance

BOUNCE_DOMAIN = "bounces.example.org"
MISSING_DOMAIN = "no-such-domain.example.com"
DOWN_DOMAIN = "down.example.com"  # routed to a loopback port where nothing listens
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "postfix"


@dataclass(frozen=True)
class Case:
    """One recipient, what the receiving side does to it, and the DSN we expect back."""

    fixture: str
    recipient: str
    action: str  # the DSN's Action: that this fixture must show
    status: str  # ... and its Status:
    expect: str  # text the DSN must contain, so a wrong capture is never written
    reply: str | None = None  # scripted RCPT reply; None: not scripted
    notify: str | None = None  # RCPT NOTIFY= parameter; None: Postfix's default
    data_reply: str | None = None  # scripted reply to the end of DATA
    others: tuple[tuple[str, str | None], ...] = ()  # more recipients: (address, RCPT reply)
    mail_options: tuple[str, ...] = ()  # MAIL FROM parameters (RET=, ENVID=)
    forwarded_to: str | None = None  # Postfix rewrites the recipient to this (virtual alias)


CASES: tuple[Case, ...] = (
    Case(
        "user-unknown-550-no-such-recipient.eml",
        "no-such-user@example.com",
        "failed",
        "5.0.0",
        "550 No such recipient",
        reply="550 No such recipient",
    ),
    Case(
        "mailbox-full-552-5.2.2.eml",
        "full-mailbox@example.com",
        "failed",
        "5.2.2",
        MAILBOX_OVER_LIMIT,
        reply=MAILBOX_OVER_LIMIT,
    ),
    Case(
        "disabled-550-5.2.1.eml",
        "disabled-account@example.com",
        "failed",
        "5.2.1",
        "The email account that you tried to reach is disabled. p28si19674740ybk.52",
        reply=DISABLED_WITH_SESSION_ID,
    ),
    Case(
        "domain-not-found.eml",
        f"someone@{MISSING_DOMAIN}",
        "failed",
        "5.4.4",
        "Host or domain name not found",
    ),
    Case(
        "delayed-4xx.eml",
        "try-later@example.com",
        "delayed",
        "4.2.2",
        TRY_LATER,
        reply=TRY_LATER,
        notify="FAILURE,DELAY",
    ),
    Case(
        "expired-after-4xx.eml",
        "try-later@example.com",
        "failed",
        "4.2.2",
        TRY_LATER,
    ),
    Case(
        "delivered-success.eml",
        "delivered@example.com",
        "delivered",
        "2.0.0",
        "delivered to maildir",
        notify="SUCCESS",
    ),
    Case(
        "relayed-success-to-non-dsn-server.eml",
        "relayed@example.com",
        "relayed",
        "2.0.0",
        "250 2.0.0 Ok: queued",
        notify="SUCCESS",
    ),
    # One message to three people: Postfix reports both refusals in one DSN.
    Case(
        "two-recipients-user-unknown-5.1.1-and-mailbox-full.eml",
        "jane.unknown@example.com",
        "failed",
        "5.1.1",
        "User unknown in virtual mailbox table",
        reply=UNKNOWN_IN_VIRTUAL_TABLE,
        others=(
            ("john.full@example.com", MAILBOX_OVER_LIMIT),
            ("ann.fine@example.com", None),
        ),
    ),
    Case(
        "rejected-after-data-554-5.7.1.eml",
        "content-filtered@example.com",
        "failed",
        "5.7.1",
        REJECTED_AS_SPAM,
        data_reply=REJECTED_AS_SPAM,
    ),
    # A mailing to an address that forwards: Final-Recipient is the target, and
    # Original-Recipient the address we mailed. Headers only, with an envelope id,
    # as bulk mailers ask for.
    Case(
        "forwarded-user-unknown-original-recipient-envid.eml",
        "member@example.net",
        "failed",
        "5.1.1",
        "Original-Envelope-Id: mailing-2026-11.member",
        reply=recipient_rejected("member.new@example.com"),
        mail_options=("RET=HDRS", "ENVID=mailing-2026-11.member"),
        forwarded_to="member.new@example.com",
    ),
    # The mail store, not the MTA, knows its users and their quotas: Dovecot
    # refuses an unknown user at RCPT and a full mailbox after DATA.
    Case(
        "lmtp-dovecot-user-doesnt-exist-550-5.1.1.eml",
        STORE_GONE,
        "failed",
        "5.1.1",
        f"User doesn't exist: {STORE_GONE}",
    ),
    Case(
        "lmtp-dovecot-quota-exceeded-552-5.2.2.eml",
        STORE_FULL,
        "failed",
        "5.2.2",
        QUOTA_EXCEEDED,
        others=((STORE_READER, None),),
    ),
    Case(
        "connection-refused-expired.eml",
        f"reader@{DOWN_DOMAIN}",
        "failed",
        "4.4.1",
        "Connection refused",
        notify="FAILURE",
    ),
)

# The delay case is sent once and yields two DSNs (warning, then give-up).
SUBMISSIONS: tuple[Case, ...] = tuple(
    case for case in CASES if case.fixture != "expired-after-4xx.eml"
)
# Each DSN is told apart by the Message-ID it returns, made from the local part.
assert len({case.recipient.split("@")[0] for case in SUBMISSIONS}) == len(SUBMISSIONS)


@contextmanager
def lab(
    main_cf: dict[str, str],
) -> Iterator[tuple[PostfixInstance, MessageCapture, ScriptedReceiver]]:
    """The private Postfix with its four loopback neighbours, torn down afterwards."""
    replies = {c.forwarded_to or c.recipient: c.reply for c in CASES if c.reply}
    replies.update((address, reply) for c in CASES for address, reply in c.others if reply)
    data_replies = {c.recipient: c.data_reply for c in CASES if c.data_reply}
    receiver = ScriptedReceiver(replies, data_replies=data_replies)
    sink = MessageCapture()
    receiver_port, sink_port, closed_port = free_port(), free_port(), free_port()
    with dovecot_lmtp(STORE_MAILBOXES) as store:
        controllers = [
            start_smtp(receiver, receiver_port, "mx.example.com"),
            start_smtp(sink, sink_port, "sink.example.org"),
        ]
        owner = pwd.getpwnam("postfix")
        postfix = PostfixInstance.in_new_temp_dir(
            relayhost=f"[127.0.0.1]:{receiver_port}",
            transport={
                BOUNCE_DOMAIN: f"smtp:[127.0.0.1]:{sink_port}",
                # Final delivery by Postfix itself is what yields "Action: delivered";
                # relaying to a server without DSN support yields "relayed".
                "delivered@example.com": "virtual:",
                # Nexthop is the domain itself, looked up in DNS like any other: the
                # resolver answers NXDOMAIN and Postfix bounces on its own.
                MISSING_DOMAIN: f"smtp:{MISSING_DOMAIN}",
                DOWN_DOMAIN: f"smtp:[127.0.0.1]:{closed_port}",
                STORE_DOMAIN: store.nexthop,
            },
            main_cf={
                "virtual_mailbox_domains": "",
                "virtual_alias_maps": "inline:{ "
                + ", ".join(f"{c.recipient}={c.forwarded_to}" for c in CASES if c.forwarded_to)
                + " }",
                "virtual_mailbox_maps": "inline:{ delivered@example.com=delivered/ }",
                "virtual_uid_maps": f"static:{owner.pw_uid}",
                "virtual_gid_maps": f"static:{owner.pw_gid}",
                **main_cf,
            },
        )
        mailboxes = postfix.base_dir / "mailboxes"
        postfix.main_cf = {**postfix.main_cf, "virtual_mailbox_base": str(mailboxes)}
        try:
            mailboxes.mkdir()
            os.chown(mailboxes, owner.pw_uid, owner.pw_gid)
            postfix.start()
            yield postfix, sink, receiver
        finally:
            postfix.remove()
            for controller in controllers:
                controller.stop()


def submit(postfix: PostfixInstance, cases: Sequence[Case]) -> None:
    with smtplib.SMTP(
        "127.0.0.1", postfix.smtpd_port, local_hostname="news.example.org", timeout=10
    ) as smtp:
        for case in cases:
            rcpt_options = [f"NOTIFY={case.notify}"] if case.notify else []
            smtp.send_message(
                newsletter(case.recipient, [address for address, _ in case.others]),
                from_addr=RETURN_PATH,
                to_addrs=[case.recipient, *(address for address, _ in case.others)],
                mail_options=list(case.mail_options),
                rcpt_options=rcpt_options,
            )


def dsn_for(case: Case, captured: Sequence[CapturedMessage]) -> CapturedMessage:
    """The captured DSN about this case's message with this case's Action and Status.

    Checking the Status too keeps a temporary DNS failure (4.4.3, after the
    short queue lifetime) from being written as the domain-not-found fixture.
    """
    wanted_id = message_id(case.recipient).encode()
    action = f"Action: {case.action}".encode()
    for message in captured:
        if wanted_id in message.data and action in message.data:
            # Postfix folds long Diagnostic-Code lines and wraps its prose.
            text = b" ".join(message.data.split())
            for wanted in (f"Status: {case.status}", case.expect):
                if wanted.encode() not in text:
                    raise RuntimeError(f"{case.fixture}: the DSN lacks {wanted!r}")
            return message
    raise RuntimeError(f"{case.fixture}: no DSN with {action.decode()!r} was captured")


def generate(out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Run the lab once and write one fixture per case into ``out_dir``."""
    main_cf = {
        # A warning after 1 s and giving up after 4 s stand for the usual 4 h and 5 d.
        "delay_warning_time": "1s",
        "maximal_queue_lifetime": "4s",
        "bounce_queue_lifetime": "4s",
    }
    with lab(main_cf) as (postfix, sink, _receiver):
        submit(postfix, SUBMISSIONS)
        captured = sink.wait_for(len(CASES), timeout=timeout)
        if len(captured) < len(CASES):
            raise RuntimeError(
                f"only {len(captured)} of {len(CASES)} DSNs arrived{postfix.log_tail(60)}"
            )
        for message in captured:
            check_envelope(message)
        return write_fixtures(out_dir, {case.fixture: dsn_for(case, captured) for case in CASES})


def main(argv: Sequence[str] | None = None) -> int:
    return fixture_cli.run(generate, DEFAULT_OUT, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
