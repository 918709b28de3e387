"""A real Dovecot LMTP server on loopback: the mail store behind a lab MTA.

Most mailboxes a newsletter reaches live in an IMAP store: the MTA hands the
message to Dovecot over LMTP, and Dovecot, not the MTA, decides whether the
user exists and whether the mailbox has room.  The MTA then writes the bounce
around Dovecot's own words.  A scripted server can only repeat the words we
already know; this runs Debian bookworm's Dovecot 2.3 (``dovecot-core``,
``dovecot-lmtpd``), so the texts and the point of refusal (RCPT, or the end of
DATA per recipient) are the real ones.

Dovecot is never installed: the packages are downloaded and unpacked into a
cache (``mta_lab.debs``), and since its helper programs and libraries are
found by compiled-in paths under /usr/lib/dovecot, it runs in a private mount
namespace whose /usr is an overlay of the unpacked tree.  Only the LMTP
service runs, on 127.0.0.1; users come from a passwd-file, all delivered as
the ``mail`` user into maildirs under the instance's directory, each with an
optional storage quota (the quota plugin, maildir backend).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mta_lab.debs import UnpackError, runnable_packages
from mta_lab.mount_namespace import in_private_namespace, usr_overlay
from mta_lab.processes import end_process, free_port, log_tail, why_no_greeting

DOVECOT_PACKAGES = ("dovecot-core", "dovecot-lmtpd")
DOVECOT_PROGRAMS = ("usr/sbin/dovecot", "usr/lib/dovecot/lmtp")
DOVECOT_LIBRARIES = ("usr/lib/dovecot",)
DEFAULT_CACHE = Path(os.environ.get("DOVECOT_LAB_CACHE", "/var/cache/bounce-sink/dovecot-lab"))
MAIL_USER = "mail"  # owns every lab maildir; Debian's uid 8, below Dovecot's default floor

QUOTA_EXCEEDED = "Quota exceeded (mailbox for user is full)"
"""Dovecot's default ``quota_exceeded_message``: what its refusals say after the address."""

STORE_DOMAIN = "imap.example.net"
"""The domain every lab delivers over LMTP to its Dovecot, with the mailboxes below."""
STORE_READER = f"reader@{STORE_DOMAIN}"  # takes the newsletter
STORE_FULL = f"full@{STORE_DOMAIN}"  # smaller than any newsletter: full when it arrives
STORE_GONE = f"gone@{STORE_DOMAIN}"  # no such user: refused at RCPT


class DovecotLabError(RuntimeError):
    """Dovecot could not be fetched, configured or started; the message says why."""


@dataclass(frozen=True)
class Mailbox:
    """One user of the store; `quota_bytes` None: no limit."""

    address: str
    quota_bytes: int | None = None


STORE_MAILBOXES = (Mailbox(STORE_READER), Mailbox(STORE_FULL, quota_bytes=100))
"""The labs' store: one mailbox with room, one full (STORE_GONE is not among them)."""


@dataclass(frozen=True)
class DovecotLmtp:
    """A running store: LMTP on 127.0.0.1:`port`, its log at `log_file`."""

    port: int
    log_file: Path

    @property
    def nexthop(self) -> str:
        """How Postfix's transport map names this server."""
        return f"lmtp:inet:127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_file, "dovecot.log", lines)


def unpacked_dovecot(cache: Path = DEFAULT_CACHE) -> Path:
    """The unpacked package tree (downloaded on first use), checked to run here."""
    try:
        return runnable_packages(cache, DOVECOT_PACKAGES, DOVECOT_PROGRAMS, DOVECOT_LIBRARIES)
    except UnpackError as error:
        raise DovecotLabError(str(error)) from error


def _configuration(base: Path, port: int, *, quota_full_tempfail: bool) -> str:
    """dovecot.conf: LMTP only, users from ``users``, maildirs with the quota plugin.

    ``first_valid_uid`` is lowered so the ``mail`` user may own mail; the
    login and internal users are ``mail`` too, so the lab needs no users of
    its own.  Quota is checked when the message is saved (Dovecot's default
    ``lmtp_rcpt_check_quota = no``), so a full mailbox is refused after
    DATA, for that recipient only.
    """
    user = pwd.getpwnam(MAIL_USER)
    return f"""\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = lmtp
ssl = no
default_login_user = {MAIL_USER}
default_internal_user = {MAIL_USER}
default_internal_group = {MAIL_USER}
first_valid_uid = {user.pw_uid}
first_valid_gid = {user.pw_gid}
passdb {{
  driver = passwd-file
  args = {base}/users
}}
userdb {{
  driver = passwd-file
  args = {base}/users
  default_fields = uid={user.pw_uid} gid={user.pw_gid} home={base}/mail/%u
}}
mail_location = maildir:~/Maildir
mail_plugins = quota
plugin {{
  quota = maildir:User quota
  quota_full_tempfail = {"yes" if quota_full_tempfail else "no"}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {port}
  }}
  unix_listener lmtp {{
    mode = 0600
  }}
}}
"""


def _passwd_file(mailboxes: Sequence[Mailbox]) -> str:
    """One passwd-file line a user: no password, the quota as a userdb extra field."""
    lines = []
    for mailbox in mailboxes:
        extra = (
            ""
            if mailbox.quota_bytes is None
            else f"userdb_quota_rule=*:storage={mailbox.quota_bytes}B"
        )
        lines.append(f"{mailbox.address}:::::::{extra}")
    return "\n".join(lines) + "\n"


@contextmanager
def dovecot_lmtp(
    mailboxes: Sequence[Mailbox],
    *,
    quota_full_tempfail: bool = False,
    cache: Path = DEFAULT_CACHE,
    timeout: float = 20.0,
) -> Iterator[DovecotLmtp]:
    """A Dovecot serving `mailboxes` over LMTP until the block ends, then stopped and removed.

    Any address not in `mailboxes` is refused at RCPT (Dovecot's "User
    doesn't exist").  `quota_full_tempfail`: a full mailbox is a temporary
    refusal (452 4.2.2), as some hosts configure it, instead of 552 5.2.2.
    """
    if os.geteuid() != 0:
        raise DovecotLabError("the Dovecot lab runs as root (a mount namespace over /usr)")
    try:
        owner = pwd.getpwnam(MAIL_USER)
    except KeyError:
        raise DovecotLabError(
            f"user {MAIL_USER} is missing (the lab's mail is delivered as it)"
        ) from None
    root = unpacked_dovecot(cache)
    base = Path(tempfile.mkdtemp(prefix="dovecot-lab-", dir="/tmp"))
    process: subprocess.Popen[bytes] | None = None
    try:
        base.chmod(0o755)
        for folder in ("run", "state"):
            (base / folder).mkdir()
        (base / "mail").mkdir()
        os.chown(base / "mail", owner.pw_uid, owner.pw_gid)
        port = free_port()
        config = base / "dovecot.conf"
        config.write_text(_configuration(base, port, quota_full_tempfail=quota_full_tempfail))
        (base / "users").write_text(_passwd_file(mailboxes))
        script = f"{usr_overlay(root)} && exec /usr/sbin/dovecot -F -c {config}"
        process = subprocess.Popen(
            in_private_namespace(script),
            stdout=subprocess.DEVNULL,
            stderr=(base / "stderr.log").open("wb"),
        )
        server = DovecotLmtp(port, base / "dovecot.log")
        why = why_no_greeting(port, timeout, [process])
        if why is not None:
            stderr = log_tail(base / "stderr.log", "dovecot stderr", 20)
            raise DovecotLabError(f"Dovecot LMTP did not start: {why}{stderr}{server.log_tail()}")
        yield server
    finally:
        end_process(process, timeout=10)
        shutil.rmtree(base, ignore_errors=True)
