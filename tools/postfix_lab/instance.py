"""A throwaway, private Postfix instance that lives in one directory and talks only to loopback.

The system Postfix (if any) is never touched: the instance has its own
config_directory, queue_directory and data_directory under a temporary
directory, its own master.cf with one SMTP listener on 127.0.0.1 at a high
port, and it writes its log to a file instead of syslog (postlogd), so a test
or the fixture maker can read what Postfix decided.

Postfix's daemons drop privileges to the ``postfix`` user and chdir into the
queue directory, so every directory on the way there must be searchable by
that user; ``tempfile.mkdtemp`` makes 0700 directories, which is why the
base directory is opened up to 0755 here.  It must be started as root, as any
Postfix master.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mta_lab.processes import free_port, log_tail, why_no_greeting

POSTFIX_PACKAGES = ("postfix",)
"""Debian packages this lab needs (``apt-get install -y postfix``)."""

DAEMON_DIRECTORY = Path("/usr/lib/postfix/sbin")
POSTFIX_COMMAND = shutil.which("postfix") or "/usr/sbin/postfix"
POSTCONF_COMMAND = shutil.which("postconf") or "/usr/sbin/postconf"


class PostfixLabError(RuntimeError):
    """The private Postfix could not be set up, started or drained; the message says why."""


def _is_running(pid: int) -> bool:
    """Whether ``pid`` is alive; a zombie (nobody reaps the daemonised master) is not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def backdate(*paths: Path) -> None:
    """Set modification times 10 s into the past, for files Postfix reads right after we wrote them."""
    stamp = time.time() - 10
    for path in paths:
        os.utime(path, (stamp, stamp))


# One service per line, chroot off everywhere: the instance directory is not
# laid out as a chroot jail, and a lab has nothing to gain from one.
_MASTER_CF = """\
# service  type  private unpriv chroot wakeup maxproc command
{smtpd_listen} inet n - n - - smtpd
pickup     unix  n - n 60  1 pickup
cleanup    unix  n - n -   0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n -   - trivial-rewrite
bounce     unix  - - n -   0 bounce
defer      unix  - - n -   0 bounce
trace      unix  - - n -   0 bounce
verify     unix  - - n -   1 verify
flush      unix  n - n 1000 0 flush
proxymap   unix  - - n -   - proxymap
smtp       unix  - - n -   - smtp
relay      unix  - - n -   - smtp
showq      unix  n - n -   - showq
error      unix  - - n -   - error
retry      unix  - - n -   - error
discard    unix  - - n -   - discard
lmtp       unix  - - n -   - lmtp
virtual    unix  - n n -   - virtual
anvil      unix  - - n -   1 anvil
scache     unix  - - n -   1 scache
postlog    unix-dgram n - n - 1 postlogd
"""


@dataclass
class PostfixInstance:
    """One private Postfix: configure with ``main_cf`` extras, then ``start()`` / ``stop()``.

    ``transport`` maps a recipient domain or address to ``transport:nexthop``
    (written as an ``inline:`` table, so no ``postmap`` step is needed), and
    ``relayhost`` catches everything else, so no mail can leave loopback by
    accident.  ``extra_master_cf`` adds services such as a pipe transport.
    """

    base_dir: Path
    smtpd_port: int
    relayhost: str
    transport: Mapping[str, str] = field(default_factory=dict)
    main_cf: Mapping[str, str] = field(default_factory=dict)
    extra_master_cf: str = ""
    myhostname: str = "mta.example.org"

    @property
    def config_dir(self) -> Path:
        return self.base_dir / "etc"

    @property
    def queue_dir(self) -> Path:
        return self.base_dir / "spool"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "maillog"

    @classmethod
    def in_new_temp_dir(
        cls,
        relayhost: str,
        transport: Mapping[str, str] | None = None,
        main_cf: Mapping[str, str] | None = None,
        extra_master_cf: str = "",
    ) -> PostfixInstance:
        """An instance in a fresh directory under /tmp that the ``postfix`` user can enter."""
        base = Path(tempfile.mkdtemp(prefix="postfix-lab-", dir="/tmp"))
        base.chmod(0o755)
        return cls(
            base_dir=base,
            smtpd_port=free_port(),
            relayhost=relayhost,
            transport=dict(transport or {}),
            main_cf=dict(main_cf or {}),
            extra_master_cf=extra_master_cf,
        )

    def settings(self) -> dict[str, str]:
        """Every main.cf parameter this instance sets, defaults first, then the caller's."""
        table = ", ".join(f"{key}={value}" for key, value in self.transport.items())
        base: dict[str, str] = {
            "compatibility_level": "3.6",
            "queue_directory": str(self.queue_dir),
            "data_directory": str(self.base_dir / "data"),
            "daemon_directory": str(DAEMON_DIRECTORY),
            "meta_directory": "/etc/postfix",
            "shlib_directory": "/usr/lib/postfix",
            "command_directory": "/usr/sbin",
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "myhostname": self.myhostname,
            "mydomain": "example.org",
            "myorigin": "$mydomain",
            "mydestination": "",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination",
            "relayhost": self.relayhost,
            "transport_maps": f"inline:{{ {table} }}" if table else "",
            "alias_maps": "",
            "alias_database": "",
            "local_recipient_maps": "",
            "local_transport": "error:5.1.1 local delivery is disabled in this lab",
            "maillog_file": str(self.log_file),
            "maillog_file_prefixes": str(self.base_dir),
            "biff": "no",
            "smtp_connect_timeout": "5s",
            "queue_run_delay": "1s",
            "minimal_backoff_time": "1s",
            "maximal_backoff_time": "2s",
            # postmaster copies of bounces would go to a local domain that does not exist here
            "notify_classes": "",
            # Fast flush is on by default for relay_domains. In the lab, a message
            # deferred for such a domain turned up in incoming/ instead, qmgr logged
            # "skipped, still being delivered" and did not retry it for more than
            # 10 s, which the 1-2 s backoffs here must not wait for.
            "fast_flush_domains": "",
        }
        base.update(self.main_cf)
        return base

    def write_config(self) -> None:
        """main.cf and master.cf, plus the root-owned queue directory Postfix fills itself."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.queue_dir.mkdir(mode=0o755, exist_ok=True)
        lines = [f"{key} = {value}" for key, value in self.settings().items()]
        (self.config_dir / "main.cf").write_text("\n".join(lines) + "\n", encoding="utf-8")
        master = _MASTER_CF.format(smtpd_listen=f"127.0.0.1:{self.smtpd_port}")
        (self.config_dir / "master.cf").write_text(master + self.extra_master_cf, encoding="utf-8")
        # Postfix waits, re-reading, until a configuration file is a second or
        # so old (it might still be being edited); backdating saves that wait.
        backdate(self.config_dir / "main.cf", self.config_dir / "master.cf")

    def _run(self, *args: str) -> tuple[int, str]:
        """Run ``postfix -c DIR ARGS`` on a pseudo-terminal.

        Postfix's commands print their errors on stderr only when it is a
        terminal (otherwise they go to syslog, which a container may lack), so
        a pty is what makes "fatal: ..." reach the caller.
        """
        leader, follower = os.openpty()
        try:
            proc = subprocess.Popen(
                [POSTFIX_COMMAND, "-c", str(self.config_dir), *args],
                stdin=subprocess.DEVNULL,
                stdout=follower,
                stderr=follower,
                env=dict(os.environ, MAIL_CONFIG=str(self.config_dir)),
                close_fds=True,
            )
            os.close(follower)
            follower = -1
            chunks: list[bytes] = []
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            code = proc.wait(timeout=60)
        finally:
            if follower >= 0:
                os.close(follower)
            os.close(leader)
        return code, b"".join(chunks).decode("utf-8", "replace")

    def start(self, timeout: float = 20.0) -> None:
        """Write the configuration, start the master and wait until smtpd answers."""
        if os.geteuid() != 0:
            raise PostfixLabError("a Postfix master must be started as root")
        if not Path(POSTFIX_COMMAND).exists() or not DAEMON_DIRECTORY.is_dir():
            raise PostfixLabError(
                "postfix is not installed: apt-get install -y " + " ".join(POSTFIX_PACKAGES)
            )
        self.write_config()
        code, output = self._run("start")
        if code != 0:
            raise PostfixLabError(f"postfix start failed ({code}): {output}{self.log_tail()}")
        problem = why_no_greeting(self.smtpd_port, timeout)
        if problem is not None:
            raise PostfixLabError(f"postfix smtpd: {problem}{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the master (and so every daemon of this instance); never touches another one.

        ``postfix stop`` only signals the master; waiting for it to exit keeps
        a following ``remove()`` from racing daemons that still write files.
        """
        pid_file = self.queue_dir / "pid" / "master.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return
        self._run("stop")
        deadline = time.monotonic() + timeout
        while _is_running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def flush(self) -> None:
        """Ask the queue manager to retry deferred mail now."""
        self._run("flush")

    def queue_is_empty(self) -> bool:
        for sub in ("incoming", "active", "deferred", "maildrop", "hold"):
            folder = self.queue_dir / sub
            if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
                return False
        return True

    def wait_until_queue_empty(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queue_is_empty():
                return
            time.sleep(0.2)
        raise PostfixLabError(f"postfix queue not empty after {timeout}s{self.log_tail()}")

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_file, "postfix log", lines)
