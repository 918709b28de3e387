"""A private dma (DragonFly Mail Agent) run from Debian's unpacked package, on loopback only.

Debian's ``dma`` is never installed (it provides mail-transport-agent, so apt
would remove Postfix, which the rest of the suite needs): the package is
downloaded and unpacked into a cache (``mta_lab.debs``) and its
``usr/sbin/dma`` run from there.

dma is a sendmail-style submit program with no listener: each call queues the
message in its spool and delivers it in the same process when run with ``-D``
(no daemonising), so a bounce has been written and sent when the call
returns.  Its configuration file is compiled in (``/etc/dma/dma.conf``; ``-C``
is accepted but ignored), so every call runs in a private mount namespace in
which an overlay puts this instance's ``dma.conf``, ``hosts`` and ``resolv.conf`` over
the system's /etc; the system's files are never written.  The configuration
points the spool and the aliases at the instance's directory and, while a
smarthost is set, sends every message to it (``SMARTHOST``/``PORT``: the
lab's server on loopback).  Without one, dma looks up the MX of each
recipient's domain and connects to port 25 (``PORT`` counts for the smarthost
only); the private resolv.conf names the lab's stub nameserver, so those
lookups never leave the machine.  Called as root, dma switches to the
``mail`` user (Debian's compiled-in DMA_ROOT_USER), which therefore owns the
spool.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mta_lab.debs import UnpackError, runnable_packages
from mta_lab.mount_namespace import in_private_namespace, overlay

DMA_PACKAGES = ("dma",)
"""Debian bookworm packages the lab unpacks (dma links only base-system libraries)."""

DMA_BINARY = "usr/sbin/dma"
DMA_USER = "mail"  # Debian's DMA_ROOT_USER: dma run as root becomes this user
SMARTHOST = "smarthost.example.org"  # the private /etc/hosts puts it on 127.0.0.1
MAX_TIMEOUT = 5 * 24 * 60 * 60  # dma.h: a deferred message older than this is given up
DEFAULT_CACHE = Path(os.environ.get("DMA_LAB_CACHE", "/var/cache/bounce-sink/dma-lab"))


class DmaLabError(RuntimeError):
    """The private dma could not be fetched, set up or run; the message says why."""


def unpacked_dma(cache: Path = DEFAULT_CACHE) -> Path:
    """The unpacked package tree (downloaded on first use), checked to run here."""
    try:
        return runnable_packages(cache, DMA_PACKAGES, [DMA_BINARY])
    except UnpackError as error:
        raise DmaLabError(str(error)) from error


@dataclass
class DmaInstance:
    """One private dma: ``smarthost_port`` on 127.0.0.1 takes its mail while
    ``use_smarthost`` is on; ``nameserver`` is the address its resolv.conf names.
    """

    base_dir: Path
    root: Path
    smarthost_port: int
    nameserver: str
    mailname: str = "mta.example.org"
    _sessions: list[int] = field(default_factory=list)

    @classmethod
    def in_new_temp_dir(
        cls, smarthost_port: int, nameserver: str, cache: Path = DEFAULT_CACHE
    ) -> DmaInstance:
        if os.geteuid() != 0:
            raise DmaLabError("the dma lab runs as root (it mounts an overlay over /etc)")
        try:
            pwd.getpwnam(DMA_USER)
        except KeyError:
            raise DmaLabError(f"user {DMA_USER} is missing (dma run as root becomes it)") from None
        root = unpacked_dma(cache)
        base = Path(tempfile.mkdtemp(prefix="dma-lab-", dir="/tmp"))
        base.chmod(0o755)
        instance = cls(base, root, smarthost_port, nameserver)
        instance.write_files()
        return instance

    @property
    def spool_dir(self) -> Path:
        return self.base_dir / "spool"

    @property
    def etc_dir(self) -> Path:
        """The overlay's upper layer: seen by dma as the top of /etc."""
        return self.base_dir / "etc"

    def write_files(self) -> None:
        """dma.conf (smarthost on), resolv.conf, hosts naming the smarthost, an empty
        aliases file; the spool for dma's user."""
        (self.etc_dir / "dma").mkdir(parents=True)
        (self.base_dir / "etc-work").mkdir()
        (self.base_dir / "aliases").write_text("")
        (self.etc_dir / "resolv.conf").write_text(
            f"nameserver {self.nameserver}\noptions timeout:2 attempts:1\n"
        )
        hosts = Path("/etc/hosts").read_text() + f"127.0.0.1 {SMARTHOST}\n"
        (self.etc_dir / "hosts").write_text(hosts)
        self.use_smarthost()
        for path in (self.etc_dir, *self.etc_dir.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.spool_dir.mkdir()
        user = pwd.getpwnam(DMA_USER)
        os.chown(self.spool_dir, user.pw_uid, user.pw_gid)
        self.spool_dir.chmod(0o770)

    def use_smarthost(
        self, on: bool = True, *, port: int | None = None, full_bounce: bool = False
    ) -> None:
        """Send everything to the smarthost (on; at `port`, else the lab's server),
        or to each domain's MX (off); `full_bounce`: bounces return the whole
        message (``FULLBOUNCE``), not only its headers."""
        lines = [
            f"SPOOLDIR {self.spool_dir}",
            f"ALIASES {self.base_dir / 'aliases'}",
            f"MAILNAME {self.mailname}",
        ]
        if on:
            lines += [f"SMARTHOST {SMARTHOST}", f"PORT {port or self.smarthost_port}"]
        if full_bounce:
            lines.append("FULLBOUNCE")
        (self.etc_dir / "dma" / "dma.conf").write_text("\n".join(lines) + "\n")

    def command(self, *dma_args: str) -> list[str]:
        """``dma DMA_ARGS`` inside a fresh private mount namespace with the overlaid /etc."""
        etc = overlay("/etc", self.etc_dir, self.base_dir / "etc-work")
        dma = shlex.join([str(self.root / DMA_BINARY), *dma_args])
        return in_private_namespace(f"{etc} && exec {dma}")

    def start(self, *dma_args: str) -> subprocess.Popen[bytes]:
        """dma started in a session of its own, so ``stop()`` can end it and
        every delivery child it forks (one per extra recipient, or one still
        retrying)."""
        process = subprocess.Popen(
            self.command(*dma_args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._sessions.append(process.pid)
        return process

    def run(self, *dma_args: str, stdin: bytes = b"", timeout: float = 30.0) -> None:
        """Run dma to its end; a non-zero exit raises with what dma said."""
        process = self.start(*dma_args)
        try:
            output, _ = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise DmaLabError(f"dma {' '.join(dma_args)} did not finish in {timeout}s") from None
        if process.returncode != 0:
            raise DmaLabError(
                f"dma {' '.join(dma_args)} exited {process.returncode}:"
                f" {output.decode('utf-8', 'replace').strip()}"
            )

    @staticmethod
    def submission(
        sender: str, recipients: Sequence[str], *, queue_only: bool = False
    ) -> list[str]:
        """The arguments a newsletter tool calling sendmail would give (``-bq``: only queue)."""
        return ["-D", "-i", *(["-bq"] if queue_only else []), "-f", sender, "--", *recipients]

    def send(
        self, message: bytes, sender: str, recipients: Sequence[str], *, queue_only: bool = False
    ) -> None:
        """Submit one message; delivered (and any bounce sent) before this returns,
        unless `queue_only` leaves it in the spool for ``flush``."""
        self.run(*self.submission(sender, recipients, queue_only=queue_only), stdin=message)

    def backdate_queue(self, seconds: float = MAX_TIMEOUT + 24 * 60 * 60) -> int:
        """Make every queued message look `seconds` old; how many were found.

        dma gives a deferred message up once its queue file is older than
        MAX_TIMEOUT (five days, compiled in); its age is the file's mtime.
        """
        stamp = time.time() - seconds
        queued = sorted(self.spool_dir.glob("Q*"))
        for path in queued:
            os.utime(path, (stamp, stamp))
        return len(queued)

    def flush(self) -> None:
        """Retry every queued message now (``dma -q``), as the cron job would."""
        self.run("-D", "-q")

    def queued(self) -> list[str]:
        """The spool's files: ``Q<id>`` (envelope) and ``M<id>`` (message) per queued message."""
        return sorted(path.name for path in self.spool_dir.iterdir())

    def envelopes(self) -> list[str]:
        """The text of each queued message's envelope file ("ID:", "Sender:", "Recipient:")."""
        return [path.read_text("utf-8", "replace") for path in sorted(self.spool_dir.glob("Q*"))]

    def end(self, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
        """End one dma session we started (with its children) and wait for its first process."""
        self._end_session(process.pid)
        process.wait(timeout=timeout)

    def stop(self) -> None:
        """End whatever is left of the dma sessions we started (a delivery still retrying)."""
        for session in self._sessions:
            self._end_session(session)
        self._sessions.clear()

    @staticmethod
    def _end_session(session: int) -> None:
        """SIGTERM to the process group of a session we started (gone already: nothing)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(session, signal.SIGTERM)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)
