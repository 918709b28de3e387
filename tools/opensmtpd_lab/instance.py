"""A throwaway OpenSMTPD run from Debian's package without installing it system-wide.

Installing ``opensmtpd`` with apt would remove Postfix, which CI and other
tests need, so the package is only downloaded (``apt-get download``) and
unpacked (``dpkg -x``) into a cache directory, and ``smtpd`` runs from there.

smtpd has its paths compiled in: the queue ``/var/spool/smtpd``, the control
socket ``/var/run/smtpd.sock`` and the chroot ``/var/lib/opensmtpd/empty``.
Rather than create those on the machine, smtpd is started inside a private
mount namespace (``unshare --mount``) in which a temporary directory is
bind-mounted over ``/var/spool``, ``/run`` and ``/var/lib``: the queue, socket
and chroot all live in that directory, and nothing outside the namespace sees
them.  The package's ``/usr/libexec`` (the delivery helpers such as
``mail.lmtp``) is bind-mounted over the system's the same way.  smtpd runs in the foreground (``-d``) and logs to a file, so the
fixture maker can say what it decided.  Starting it needs root, and the
privilege-separation users ``opensmtpd`` and ``opensmtpq`` (Debian's build names them so) that Debian's package
would have created (``useradd -r``).
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mta_lab.debs import UnpackError, runnable_packages
from mta_lab.mount_namespace import bind_mount, in_private_namespace
from mta_lab.processes import end_process, log_tail, why_no_greeting

OPENSMTPD_PACKAGES = ("opensmtpd",)
"""Debian packages unpacked into the cache (their libraries are the base system's)."""

PRIVSEP_USERS = ("opensmtpd", "opensmtpq")
SMTPD = Path("usr/sbin/smtpd")

CACHE_DIR = Path(
    os.environ.get(
        "OPENSMTPD_LAB_CACHE",
        str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "opensmtpd-lab"),
    )
)
"""Where the .deb files are downloaded and unpacked; reused across runs."""


class OpenSMTPDLabError(RuntimeError):
    """OpenSMTPD could not be fetched, set up or started; the message says why."""


def unpacked_root(cache_dir: Path = CACHE_DIR) -> Path:
    """The unpacked package tree, downloading and unpacking it on first use.

    A failure says which step failed (download, unpack, libraries), so CI fails
    with a reason instead of a missing file later on.
    """
    try:
        return runnable_packages(cache_dir, OPENSMTPD_PACKAGES, [str(SMTPD)])
    except UnpackError as error:
        raise OpenSMTPDLabError(str(error)) from error


def check_privsep_users() -> None:
    """smtpd refuses to start without its users; say how to make them instead."""
    for user in PRIVSEP_USERS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            raise OpenSMTPDLabError(
                f"user {user} is missing: useradd -r -M -d /var/lib/opensmtpd"
                f" -s /usr/sbin/nologin {user}"
            ) from None


@dataclass
class OpenSMTPDInstance:
    """One private smtpd: write ``config`` (smtpd.conf text), then ``start()`` / ``stop()``.

    ``config`` must listen on ``127.0.0.1 port {smtpd_port}`` and route every
    domain to a loopback relay host, so no mail can leave the machine.
    """

    base_dir: Path
    smtpd_port: int
    config: str
    root: Path
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @classmethod
    def in_new_temp_dir(cls, config: str, smtpd_port: int, root: Path) -> OpenSMTPDInstance:
        base = Path(tempfile.mkdtemp(prefix="opensmtpd-lab-", dir="/tmp"))
        return cls(base_dir=base, smtpd_port=smtpd_port, config=config, root=root)

    @property
    def log_file(self) -> Path:
        return self.base_dir / "smtpd.log"

    @property
    def spool_dir(self) -> Path:
        """Seen by smtpd as /var/spool: its queue is the ``smtpd`` folder in here."""
        return self.base_dir / "spool"

    def _layout(self) -> dict[str, Path]:
        """The folders bind-mounted over the compiled-in paths, made root-owned and 0755.

        smtpd checks that its chroot belongs to root and is writable by nobody
        else; mkdtemp's 0700 would also keep the unprivileged users out.
        """
        made = {
            "/var/spool": self.spool_dir,
            "/run": self.base_dir / "run",
            "/var/lib": self.base_dir / "varlib",
        }
        chroot = self.base_dir / "varlib" / "opensmtpd" / "empty"
        for folder in (*made.values(), chroot.parent, chroot):
            folder.mkdir(parents=True, exist_ok=True)
        for folder in (self.base_dir, *made.values(), chroot.parent, chroot):
            folder.chmod(0o755)
        # The delivery helpers (mail.lmtp, ...) are run from /usr/libexec/opensmtpd.
        return {**made, "/usr/libexec": self.root / "usr" / "libexec"}

    def command(self, *smtpd_args: str) -> list[str]:
        """smtpd with ``smtpd_args`` inside a fresh private mount namespace.

        ``unshare`` without ``--fork`` and the shell's ``exec`` keep one
        process, so the Popen's pid is smtpd's own parent process.
        """
        mounts = " && ".join(
            bind_mount(source, target) for target, source in self._layout().items()
        )
        smtpd = shlex.join([str(self.root / "usr" / "sbin" / "smtpd"), *smtpd_args])
        return in_private_namespace(f"{mounts} && exec {smtpd}")

    def start(self, timeout: float = 20.0) -> None:
        """Check the configuration (``-n``), start smtpd in the foreground and wait for its banner."""
        if os.geteuid() != 0:
            raise OpenSMTPDLabError("smtpd must be started as root")
        check_privsep_users()
        conf = self.base_dir / "smtpd.conf"
        conf.write_text(self.config, encoding="utf-8")
        check = subprocess.run(
            self.command("-n", "-f", str(conf)), capture_output=True, text=True, timeout=60
        )
        if check.returncode != 0:
            raise OpenSMTPDLabError(f"smtpd -n rejected the configuration: {check.stderr}")
        self._log = self.log_file.open("wb")
        self.process = subprocess.Popen(
            self.command("-d", "-f", str(conf)),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        problem = why_no_greeting(self.smtpd_port, timeout, [self.process])
        if problem is not None:
            raise OpenSMTPDLabError(f"smtpd: {problem}{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the smtpd parent we started (it stops its own children), then wait."""
        end_process(self.process, timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_file, "smtpd log", lines)
