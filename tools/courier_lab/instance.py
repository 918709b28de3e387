"""A throwaway, private Courier MTA run from Debian's unpacked packages, talking only to loopback.

Debian's courier-mta is never installed (apt would remove Postfix, which the
rest of the suite needs): ``apt-get download`` fetches bookworm's packages
into a cache directory and ``dpkg -x`` unpacks them there.

Courier has its paths compiled in: configuration in /etc/courier, the queue
in /var/lib/courier, pid files and the authdaemon socket in /run/courier,
and its programs and modules in /usr/lib/courier.  None of these exist on
the machine, and a bind mount needs an existing target, so everything runs
inside one private mount namespace whose /etc, /var/lib and /run are
overlays with an upper directory in the lab's temporary directory (what
Courier writes lands there; the system's files show through unchanged and
are never written), and whose /usr is a read-only overlay of the unpacked
packages' /usr on the system's (the programs, and libraries such as
libcourierauth, appear where Courier looks for them).  A ``sleep`` process
holds the namespace; every Courier process is started in it with
``nsenter``.

Courier's daemons run as its ``courier`` user.  Where the package's postinst
never ran (no such user), the private /etc gets passwd and group copies that
add it with the ``mail`` user's ids; the system's files are never written.
Nothing listens anywhere but 127.0.0.1, and every domain a case uses is
routed by ``esmtproutes`` to a loopback port, except the one whose DNS
lookup is the point of the case.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from mta_lab.debs import UnpackError, runnable_packages
from mta_lab.mount_namespace import entered, in_private_namespace, overlay, usr_overlay
from mta_lab.processes import checked_output, log_tail, why_no_greeting

COURIER_PACKAGES = (
    "courier-mta",
    "courier-base",
    "courier-authlib",
    "libcourier-unicode4",
    "libidn12",
    "libltdl7",
)
"""Debian bookworm packages the lab unpacks (never installs): the MTA, its
authentication library (``libcourierauth``, and ``authdaemond`` which looks
up local users) and the libraries they link that a Postfix machine lacks."""

DEFAULT_CACHE = Path(os.environ.get("COURIER_LAB_CACHE", "/var/cache/bounce-sink/courier-lab"))
COURIER_USER = "courier"  # Debian's --with-mailuser: the daemons' user and group
SYSTEM_USER = "mail"  # whose ids a private courier entry borrows where the user is missing
LIBRARY_DIRS = ("usr/lib/x86_64-linux-gnu", "usr/lib", "usr/lib/courier-authlib")
PROGRAMS = (  # the unpacked programs the lab runs, checked for missing libraries
    "usr/lib/courier/courier/courierd",
    "usr/lib/courier/courier/submit",
    "usr/lib/courier/courier/modules/esmtp/courieresmtp",
    "usr/lib/courier/courier/modules/esmtp/courieresmtpd",
    "usr/lib/courier/courier/modules/local/courierlocal",
    "usr/lib/courier/courier/modules/dsn/courierdsn",
    "usr/lib/courier/courier-authlib/authdaemond",
    "usr/sbin/couriertcpd",
    "usr/sbin/sendmail",
    "usr/sbin/courier",
)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _end_group(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM to the process group `process` leads, SIGKILL to what is left after `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _group_alive(process.pid) and time.monotonic() < deadline:
        process.poll()  # reap the leader, so a zombie does not keep the group "alive"
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout)


class CourierLabError(RuntimeError):
    """The private Courier could not be fetched, set up or run; the message says why."""


def unpacked_courier(cache: Path = DEFAULT_CACHE) -> Path:
    """The root of the unpacked packages, downloading and unpacking them on first use.

    A failure says which step failed (download, unpack, libraries), so CI
    fails with a reason instead of a missing file later on.
    """
    try:
        return runnable_packages(cache, COURIER_PACKAGES, PROGRAMS, LIBRARY_DIRS)
    except UnpackError as error:
        raise CourierLabError(str(error)) from error


@dataclass
class CourierInstance:
    """One private Courier: ``control`` are /etc/courier control files (name: contents).

    ``start()`` runs courierd (the scheduler with its esmtp, local and dsn
    modules), authdaemond and an ESMTP listener (couriertcpd + courieresmtpd)
    on 127.0.0.1:``smtp_port``; ``stop()`` ends them.  Mail comes in over
    SMTP, or on the command line through Courier's own ``sendmail``.
    """

    base_dir: Path
    root: Path
    smtp_port: int
    control: Mapping[str, str]
    esmtpd_settings: Mapping[str, str] = field(default_factory=dict)
    holder: subprocess.Popen[bytes] | None = None
    daemons: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    @classmethod
    def in_new_temp_dir(
        cls,
        control: Mapping[str, str],
        smtp_port: int,
        esmtpd_settings: Mapping[str, str] | None = None,
        cache: Path = DEFAULT_CACHE,
    ) -> CourierInstance:
        if os.geteuid() != 0:
            raise CourierLabError("the Courier lab runs as root (mount namespace, setuid daemons)")
        root = unpacked_courier(cache)
        base = Path(tempfile.mkdtemp(prefix="courier-lab-", dir="/tmp"))
        base.chmod(0o755)
        return cls(base, root, smtp_port, dict(control), dict(esmtpd_settings or {}))

    @property
    def config_dir(self) -> Path:
        """Seen by Courier as /etc/courier."""
        return self.base_dir / "etc" / "courier"

    @property
    def log_dir(self) -> Path:
        return self.base_dir / "log"

    def _ids(self) -> tuple[int, int, bool]:
        """Courier's uid and gid, and whether the private /etc must add the user."""
        try:
            return pwd.getpwnam(COURIER_USER).pw_uid, grp.getgrnam(COURIER_USER).gr_gid, False
        except KeyError:
            mail = pwd.getpwnam(SYSTEM_USER)
            return mail.pw_uid, mail.pw_gid, True

    def write_files(self) -> None:
        """The upper directories of the overlays: configuration, queue, run and log folders."""
        uid, gid, add_user = self._ids()
        etc = self.base_dir / "etc"
        etc.mkdir()
        shutil.copytree(self.root / "etc" / "courier", self.config_dir, symlinks=True)
        for name, text in self.control.items():
            (self.config_dir / name).write_text(text if text.endswith("\n") else text + "\n")
        with (self.config_dir / "esmtpd").open("a") as esmtpd:
            esmtpd.writelines(f"{key}={value}\n" for key, value in self.esmtpd_settings.items())
        (self.config_dir / "authdaemonrc").write_text(
            # Local users are looked up in the system's accounts (getpwnam via authpam).
            'authmodulelist="authpam"\ndaemons=1\nauthdaemonvar=/run/courier/authdaemon\n'
        )
        if add_user:
            (etc / "passwd").write_text(
                Path("/etc/passwd").read_text()
                + f"{COURIER_USER}:x:{uid}:{gid}::/var/lib/courier:/usr/sbin/nologin\n"
            )
            (etc / "group").write_text(
                Path("/etc/group").read_text() + f"{COURIER_USER}:x:{gid}:\n"
            )
        queue = self.base_dir / "varlib" / "courier"
        shutil.copytree(self.root / "var" / "lib" / "courier", queue)
        (queue / "sts").mkdir()  # the esmtp module's record of hosts' STARTTLS answers
        authdaemon = self.base_dir / "run" / "courier" / "authdaemon"
        authdaemon.mkdir(parents=True)
        for folder in (self.base_dir / "work", self.log_dir):
            folder.mkdir()
        for folder in (queue, authdaemon.parent, authdaemon, self.log_dir):
            for path in (folder, *folder.rglob("*")):
                os.chown(path, uid, gid)
        (queue / "tmp").chmod(0o770)

    def _namespace_script(self) -> str:
        """Mount the overlays, say so, and hold the namespace open."""
        mounts = []
        for target, upper in (("/etc", "etc"), ("/var/lib", "varlib"), ("/run", "run")):
            work = self.base_dir / "work" / upper
            work.mkdir()
            mounts.append(overlay(target, self.base_dir / upper, work))
        mounts.append(usr_overlay(self.root))
        ready = shlex.quote(str(self.base_dir / "namespace-ready"))
        return " && ".join([*mounts, f"touch {ready}", "exec sleep infinity"])

    def _in_namespace(self, *command: str) -> list[str]:
        if self.holder is None:
            raise CourierLabError("the lab's mount namespace is not set up (call start())")
        return entered(self.holder.pid, *command)

    def _shell(self, environment: str, command: str) -> list[str]:
        """``command`` in the namespace with a clean environment from a Courier config file,
        as Courier's own start scripts run their daemons."""
        inner = f"set -a; . {environment}; exec {command}"
        return self._in_namespace(
            "sh", "-c", f"cd /usr && exec env -i /bin/sh -c {shlex.quote(inner)}"
        )

    def run(self, *command: str, stdin: bytes = b"", timeout: float = 60.0) -> str:
        """Run a command in the namespace and return its output; a non-zero exit raises."""
        return checked_output(
            self._in_namespace("sh", "-c", f"cd /usr && exec {shlex.join(command)}"),
            " ".join(command),
            CourierLabError,
            stdin=stdin,
            timeout=timeout,
            context=self.log_tail,
        )

    def _daemon(self, name: str, command: list[str]) -> None:
        """Start one daemon in its own process group (stopped as a group: courierd and
        couriertcpd fork children that run as the courier user)."""
        log = (self.log_dir / f"{name}.log").open("ab")
        self._logs.append(log)
        self.daemons.append(
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def start(self, timeout: float = 20.0) -> None:
        """Set up the namespace, build Courier's databases, start the daemons, wait for 220."""
        self.write_files()
        self.holder = subprocess.Popen(
            in_private_namespace(self._namespace_script()),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not (self.base_dir / "namespace-ready").exists():
            if self.holder.poll() is not None or time.monotonic() > deadline:
                raise CourierLabError(f"the mount namespace failed ({self.holder.returncode})")
            time.sleep(0.05)
        # smtpaccess lets 127.0.0.1 relay (Debian's default); the esmtpd script's
        # makesmtpaccess calls a makedat that only update-alternatives would link.
        self.run(
            "/usr/lib/courier/makedat",
            "-src=/etc/courier/smtpaccess",
            "-file=/etc/courier/smtpaccess.dat",
            "-tmp=/etc/courier/smtpaccess.tmp",
            "-cidr",
        )
        self.run("/usr/sbin/makealiases")
        self._daemon(
            "authdaemond",
            self._shell(
                "/etc/courier/authdaemonrc", "/usr/lib/courier/courier-authlib/authdaemond"
            ),
        )
        self._daemon(
            "courierd", self._shell("/etc/courier/courierd", "/usr/lib/courier/courier/courierd")
        )
        tcpd = (
            "/usr/sbin/couriertcpd -noidentlookup -nodnslookup -address=127.0.0.1"
            f" -user={COURIER_USER} -group={COURIER_USER}"
            " -access=/etc/courier/smtpaccess.dat"
            f" -stderr={self.log_dir / 'courieresmtpd.log'}"
            f" {self.smtp_port} /usr/sbin/courieresmtpd"
        )
        self._daemon("couriertcpd", self._shell("/etc/courier/esmtpd", tcpd))
        left = deadline - time.monotonic()
        problem = why_no_greeting(self.smtp_port, left, self.daemons)
        if problem is not None:
            raise CourierLabError(f"Courier's ESMTP listener: {problem}{self.log_tail()}")

    def sendmail(self, message: bytes, sender: str, recipients: Sequence[str]) -> str:
        """Hand one message to Courier's sendmail, as a local newsletter tool would."""
        return self.run("/usr/sbin/sendmail", "-f", sender, "--", *recipients, stdin=message)

    def flush(self) -> None:
        """Retry every deferred message now (``courier flush``)."""
        self.run("/usr/sbin/courier", "flush")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to each process group we started (daemons, then the namespace holder).

        The group, not just its leader: courierd's scheduler child and the
        connection handlers outlive a leader that is gone already.
        """
        for process in [*reversed(self.daemons), *([self.holder] if self.holder else [])]:
            _end_group(process, timeout)
        self.daemons.clear()
        self.holder = None
        for log in self._logs:
            log.close()
        self._logs.clear()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        return "".join(
            log_tail(self.log_dir / f"{name}.log", f"{name} log", lines)
            for name in ("courierd", "courieresmtpd", "authdaemond", "couriertcpd")
        )
