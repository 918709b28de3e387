"""A private nullmailer 2.2 run from Debian's unpacked package, relaying only to loopback.

Debian's ``nullmailer`` is never installed (it provides mail-transport-agent,
so apt would remove Postfix, which the rest of the suite needs): the package
is downloaded and unpacked into a cache (``mta_lab.debs``) and run from
there.

nullmailer has every path compiled in: its control files in /etc/nullmailer
(and Debian's /etc/mailname for its host name), its queue in
/var/spool/nullmailer, and the programs nullmailer-send starts by absolute
path (the protocol module /usr/lib/nullmailer/smtp, /usr/bin/nullmailer-dsn
for a bounce, /usr/sbin/nullmailer-queue to queue it).  So everything runs in
one private mount namespace, held by nullmailer-send itself, whose /etc and
/var/spool are overlays with upper directories in the lab's temporary
directory (the system's files show through and are never written) and whose
/usr is a read-only overlay of the unpacked package's /usr on the system's.
Every nullmailer program is started in it with ``nsenter``.

nullmailer-send runs as the ``mail`` user, as Debian's service unit runs it,
and nullmailer-queue is setuid ``mail``: the queue belongs to that user.
nullmailer-send relays every message to the hosts in its ``remotes`` file,
in order; the lab names its own servers on 127.0.0.1 there, so nothing
leaves the machine.  A private resolv.conf names the lab's stub nameserver,
so the one host name a case looks up is answered on loopback too.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mta_lab.debs import UnpackError, runnable_packages
from mta_lab.mount_namespace import entered, in_private_namespace, overlay, usr_overlay
from mta_lab.processes import checked_output, end_process, log_tail

NULLMAILER_PACKAGES = ("nullmailer",)
"""Debian bookworm packages the lab unpacks (nullmailer links libgnutls30, on every Debian)."""

SEND_BINARY = "usr/sbin/nullmailer-send"
PROGRAMS = (  # what nullmailer-send runs, checked for missing libraries
    SEND_BINARY,
    "usr/sbin/nullmailer-queue",
    "usr/sbin/sendmail",
    "usr/bin/nullmailer-inject",
    "usr/bin/nullmailer-dsn",
    "usr/lib/nullmailer/smtp",
)
NULLMAILER_USER = (
    "mail"  # Debian's service runs nullmailer-send as mail; nullmailer-queue is setuid mail
)
SPOOL = "/var/spool/nullmailer"
DEFAULT_CACHE = Path(
    os.environ.get("NULLMAILER_LAB_CACHE", "/var/cache/bounce-sink/nullmailer-lab")
)


class NullmailerLabError(RuntimeError):
    """The private nullmailer could not be fetched, set up or run; the message says why."""


def unpacked_nullmailer(cache: Path = DEFAULT_CACHE) -> Path:
    """The unpacked package tree (downloaded on first use), checked to run here."""
    try:
        return runnable_packages(cache, NULLMAILER_PACKAGES, PROGRAMS)
    except UnpackError as error:
        raise NullmailerLabError(str(error)) from error


def smtp_remote(host: str, port: int) -> str:
    """One line of ``remotes``: the smtp protocol module to `host`:`port`."""
    return f"{host} smtp --port={port}"


@dataclass
class NullmailerInstance:
    """One private nullmailer: ``control`` are /etc/nullmailer control files (name: contents).

    ``start()`` sets up the namespace and runs nullmailer-send; ``set_remotes``
    changes where it relays (read again at every queue run); ``sendmail``
    queues a message as a local program would.
    """

    base_dir: Path
    root: Path
    control: Mapping[str, str]
    nameserver: str
    mailname: str = "mta.example.org"
    sender: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @classmethod
    def in_new_temp_dir(
        cls, control: Mapping[str, str], nameserver: str, cache: Path = DEFAULT_CACHE
    ) -> NullmailerInstance:
        if os.geteuid() != 0:
            raise NullmailerLabError("the nullmailer lab runs as root (it mounts overlays)")
        try:
            pwd.getpwnam(NULLMAILER_USER)
        except KeyError:
            raise NullmailerLabError(f"user {NULLMAILER_USER} is missing") from None
        root = unpacked_nullmailer(cache)
        base = Path(tempfile.mkdtemp(prefix="nullmailer-lab-", dir="/tmp"))
        base.chmod(0o755)
        return cls(base, root, dict(control), nameserver)

    @property
    def config_dir(self) -> Path:
        """Seen by nullmailer as /etc/nullmailer."""
        return self.base_dir / "etc" / "nullmailer"

    @property
    def spool_dir(self) -> Path:
        """Seen by nullmailer as /var/spool/nullmailer."""
        return self.base_dir / "spool" / "nullmailer"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "nullmailer-send.log"

    def write_files(self) -> None:
        """Control files, mailname, resolv.conf; the queue as Debian's postinst makes it."""
        etc = self.base_dir / "etc"
        self.config_dir.mkdir(parents=True)
        (etc / "mailname").write_text(self.mailname + "\n")
        (etc / "resolv.conf").write_text(
            f"nameserver {self.nameserver}\noptions timeout:2 attempts:1\n"
        )
        for name, text in self.control.items():
            self.write_control(name, text)
        user = pwd.getpwnam(NULLMAILER_USER)
        for name in ("queue", "tmp", "failed"):
            folder = self.spool_dir / name
            folder.mkdir(parents=True)
            os.chown(folder, user.pw_uid, 0)
            folder.chmod(0o750)
        trigger = self.spool_dir / "trigger"
        os.mkfifo(trigger)
        os.chown(trigger, user.pw_uid, 0)
        trigger.chmod(0o622)
        self.spool_dir.chmod(0o755)
        for work in ("etc-work", "spool-work"):
            (self.base_dir / work).mkdir()

    def write_control(self, name: str, text: str) -> None:
        """One control file, readable by the mail user (nullmailer rereads them every queue run)."""
        path = self.config_dir / name
        path.write_text(text if text.endswith("\n") else text + "\n")
        path.chmod(0o644)

    def set_remotes(self, *lines: str) -> None:
        """Where nullmailer-send relays from its next queue run on (``smtp_remote`` lines)."""
        self.write_control("remotes", "\n".join(lines))

    def _namespace_script(self) -> str:
        """Mount the overlays, then become nullmailer-send (as mail, in the spool)."""
        mounts = [
            overlay(target, self.base_dir / upper, self.base_dir / f"{upper}-work")
            for target, upper in (("/etc", "etc"), ("/var/spool", "spool"))
        ]
        mounts.append(usr_overlay(self.root))
        send = (
            f"setpriv --reuid={NULLMAILER_USER} --regid={NULLMAILER_USER} --clear-groups"
            " /usr/sbin/nullmailer-send"
        )
        return " && ".join([*mounts, f"cd {SPOOL}", f"exec {send}"])

    def _in_namespace(self, *command: str) -> list[str]:
        if self.sender is None:
            raise NullmailerLabError("nullmailer-send is not running (call start())")
        return entered(self.sender.pid, *command)

    def start(self, timeout: float = 10.0) -> None:
        """Start nullmailer-send in a mount namespace of its own; wait for its first queue scan.

        nullmailer-send itself holds the namespace (``unshare`` and ``sh``
        exec into it, so its pid is the one started here): every other
        program enters it with ``nsenter``, and it goes when nullmailer-send
        is stopped.  Its first "Rescanning queue." says the overlays are
        mounted and the queue is read.
        """
        self.write_files()
        self._log = self.log_file.open("ab")
        self.sender = subprocess.Popen(
            in_private_namespace(self._namespace_script()),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while b"Rescanning queue." not in self.log_file.read_bytes():
            if self.sender.poll() is not None or time.monotonic() > deadline:
                raise NullmailerLabError(
                    f"nullmailer-send did not start ({self.sender.returncode}){self.log_tail()}"
                )
            time.sleep(0.05)

    def run(self, *command: str, stdin: bytes = b"", timeout: float = 30.0) -> str:
        """Run a command in the namespace and return its output; a non-zero exit raises."""
        return checked_output(
            self._in_namespace(*command),
            " ".join(command),
            NullmailerLabError,
            stdin=stdin,
            timeout=timeout,
            context=self.log_tail,
        )

    def sendmail(self, message: bytes, sender: str, recipients: Sequence[str]) -> str:
        """Queue one message through nullmailer's sendmail, as a newsletter tool calls it."""
        return self.run("/usr/sbin/sendmail", "-f", sender, "--", *recipients, stdin=message)

    def pull_trigger(self) -> None:
        """Wake nullmailer-send now: one byte into its trigger pipe, as nullmailer-queue does.

        Written in the namespace: the pipe nullmailer-send reads is the
        overlay's, not the upper directory's file.  Non-blocking: a wakeup
        missed in the instant the pipe is reopened is made up by the next
        queue run a second later.
        """
        self.run("dd", "if=/dev/zero", f"of={SPOOL}/trigger", "bs=1", "count=1", "oflag=nonblock")

    def backdate(self, name: str, seconds: float) -> None:
        """Make a queued message `seconds` old: nullmailer-send reads its age from the mtime."""
        stamp = int(time.time() - seconds)
        self.run("touch", "-m", "-d", f"@{stamp}", f"{SPOOL}/queue/{name}")

    def queued(self) -> dict[str, str]:
        """Each queued message's envelope (file name: sender line and recipient lines)."""
        envelopes = {}
        for path in sorted((self.spool_dir / "queue").iterdir()):
            with contextlib.suppress(FileNotFoundError):
                envelopes[path.name] = (
                    path.read_bytes().split(b"\n\n", 1)[0].decode("utf-8", "replace")
                )
        return envelopes

    def stop(self, timeout: float = 10.0) -> None:
        """End nullmailer-send (and with it the namespace): only the process we started."""
        end_process(self.sender, timeout)
        self.sender = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_file, "nullmailer-send log", lines)
