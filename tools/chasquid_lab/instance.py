"""A private chasquid 1.11 run from Debian's unpacked package, on loopback only.

Debian's ``chasquid`` is never installed (it provides mail-transport-agent,
so apt would remove Postfix, which the rest of the suite needs): the package
is downloaded and unpacked into a cache (``mta_lab.debs``) and its
``usr/bin/chasquid`` run from there with ``--config_dir`` pointing at this
instance's directory, where everything it keeps lives (config, self-signed
certificate, user database, queue, logs).

Two things chasquid takes from the system are replaced for it alone, in a
private mount namespace: ``/etc/resolv.conf`` (bind-mounted over by one
naming the lab's stub nameserver) and ``/etc/hosts``.  chasquid sends remote
mail to each domain's MX on port 25; ``--testing__outgoing_smtp_port`` (its
own testing flag) makes that the lab's port, and the stub nameserver answers
NXDOMAIN for the recipients' domain, so chasquid falls back to the domain's
address (RFC 5321 5.1), which the private hosts file puts on 127.0.0.1.

chasquid gives up on a message 20 hours after it was queued (compiled in);
the time is kept in each queue file (``created_at_ts``).  ``age_queue`` stops
chasquid, moves that time back a day, and starts it again: on loading its
queue chasquid finds the message too old and sends its bounce at once.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import smtplib
import ssl
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mta_lab.debs import UnpackError, runnable_packages
from mta_lab.mount_namespace import bind_mount, in_private_namespace
from mta_lab.processes import end_process, free_port, log_tail, why_no_greeting

CHASQUID_PACKAGES = ("chasquid",)
"""Debian bookworm packages the lab unpacks (chasquid links libc only)."""

CHASQUID_BINARY = "usr/bin/chasquid"
CHASQUID_UTIL = "usr/bin/chasquid-util"
MDA_LMTP = "usr/bin/mda-lmtp"  # chasquid's own LMTP delivery agent, in the same package
GIVE_UP_AFTER = 20 * 60 * 60  # internal/queue: a message older than this is given up
DEFAULT_CACHE = Path(os.environ.get("CHASQUID_LAB_CACHE", "/var/cache/bounce-sink/chasquid-lab"))


class ChasquidLabError(RuntimeError):
    """The private chasquid could not be fetched, set up or run; the message says why."""


def unpacked_chasquid(cache: Path = DEFAULT_CACHE) -> Path:
    """The unpacked package tree (downloaded on first use), checked to run here."""
    try:
        return runnable_packages(cache, CHASQUID_PACKAGES, [CHASQUID_BINARY, MDA_LMTP])
    except UnpackError as error:
        raise ChasquidLabError(str(error)) from error


def _setup_step(*command: str) -> None:
    """Run one setup command (openssl, chasquid-util); failing, raise with what it said."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        said = (done.stdout + done.stderr).strip()
        raise ChasquidLabError(f"{command[0]} {command[1]} exited {done.returncode}: {said}")


@dataclass
class ChasquidInstance:
    """One private chasquid.

    Its remote deliveries go to ``outgoing_port`` at the address ``hosts``
    gives each recipient domain, its local ones through ``mda-lmtp`` to the LMTP
    server at ``lmtp_port``; ``nameserver`` is the address its resolv.conf
    names.  ``users`` (address: password) are the local domain's accounts:
    the first one submits the newsletters.
    """

    base_dir: Path
    root: Path
    outgoing_port: int
    lmtp_port: int
    nameserver: str
    hosts: Mapping[str, str]  # name: loopback address, in the private hosts file
    users: dict[str, str]
    hostname: str = "mta.example.org"
    submission_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def in_new_temp_dir(
        cls,
        outgoing_port: int,
        lmtp_port: int,
        nameserver: str,
        hosts: Mapping[str, str],
        users: dict[str, str],
        cache: Path = DEFAULT_CACHE,
    ) -> ChasquidInstance:
        if os.geteuid() != 0:
            raise ChasquidLabError("the chasquid lab runs as root (it bind-mounts over /etc)")
        root = unpacked_chasquid(cache)
        base = Path(tempfile.mkdtemp(prefix="chasquid-lab-", dir="/tmp"))
        instance = cls(base, root, outgoing_port, lmtp_port, nameserver, hosts, users)
        try:
            instance.write_files()
        except BaseException:
            instance.remove()
            raise
        return instance

    @property
    def config_dir(self) -> Path:
        return self.base_dir / "etc"

    @property
    def queue_dir(self) -> Path:
        return self.base_dir / "data" / "queue"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "chasquid.log"

    def write_files(self) -> None:
        """chasquid.conf, a self-signed certificate, the users, resolv.conf and hosts.

        chasquid serves STARTTLS only with a certificate under
        ``certs/<name>/`` and takes AUTH only over TLS, and the submission
        port only authenticated mail, so all three are needed to relay.
        """
        certs = self.config_dir / "certs" / self.hostname
        certs.mkdir(parents=True)
        _setup_step(
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", f"/CN={self.hostname}", "-keyout", str(certs / "privkey.pem")),
            *("-out", str(certs / "fullchain.pem")),
        )
        mda = str(self.root / MDA_LMTP)
        lmtp = f"127.0.0.1:{self.lmtp_port}"
        lines = [
            f'hostname: "{self.hostname}"',
            f'smtp_address: "127.0.0.1:{free_port()}"',
            f'submission_address: "127.0.0.1:{self.submission_port}"',
            f'submission_over_tls_address: "127.0.0.1:{free_port()}"',
            f'data_dir: "{self.base_dir / "data"}"',
            f'mail_log_path: "{self.base_dir / "mail.log"}"',
            f'mail_delivery_agent_bin: "{mda}"',
            *(
                f'mail_delivery_agent_args: "{arg}"'
                for arg in ("--addr", lmtp, "-f", "%from%", "-d", "%to%")
            ),
        ]
        (self.config_dir / "chasquid.conf").write_text("\n".join(lines) + "\n")
        for address, password in self.users.items():
            domain = address.split("@", 1)[1]
            (self.config_dir / "domains" / domain).mkdir(parents=True, exist_ok=True)
            _setup_step(
                *(str(self.root / CHASQUID_UTIL), f"-C={self.config_dir}", "user-add"),
                *(address, f"--password={password}"),
            )
        (self.base_dir / "resolv.conf").write_text(
            f"nameserver {self.nameserver}\noptions timeout:1 attempts:1\n"
        )
        lines = ["127.0.0.1 localhost", *(f"{ip} {name}" for name, ip in self.hosts.items())]
        (self.base_dir / "hosts").write_text("\n".join(lines) + "\n")

    def command(self) -> list[str]:
        """chasquid in a fresh private mount namespace with the lab's resolv.conf and hosts."""
        chasquid = shlex.join(
            [
                str(self.root / CHASQUID_BINARY),
                f"--config_dir={self.config_dir}",
                f"--testing__outgoing_smtp_port={self.outgoing_port}",
                f"--logfile={self.log_file}",
                "-v=1",
            ]
        )
        mounts = " && ".join(
            bind_mount(self.base_dir / name, f"/etc/{name}") for name in ("resolv.conf", "hosts")
        )
        return in_private_namespace(f"{mounts} && exec {chasquid}")

    def start(self, timeout: float = 20.0) -> None:
        """Start chasquid and wait until its submission port greets."""
        self.process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        problem = why_no_greeting(self.submission_port, timeout, [self.process])
        if problem is not None:
            output = b""
            if self.process.poll() is not None and self.process.stdout is not None:
                output = self.process.stdout.read()
            self.stop()
            raise ChasquidLabError(f"chasquid: {problem} {output!r}{self.log_tail()}")

    def stop(self) -> None:
        end_process(self.process, timeout=10.0)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def submit(self, message: bytes, sender: str, recipients: Sequence[str]) -> None:
        """Hand one message to chasquid as a mail client does: submission, STARTTLS, AUTH."""
        user, password = next(iter(self.users.items()))
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the lab's self-signed certificate
        with smtplib.SMTP("127.0.0.1", self.submission_port, timeout=30) as client:
            client.starttls(context=context)
            client.login(user, password)
            refused = client.sendmail(sender, list(recipients), message)
        if refused:
            raise ChasquidLabError(f"chasquid refused {refused}")

    def queued(self) -> list[str]:
        """The queue's item files (``m:<id>``), in the text form chasquid writes them."""
        if not self.queue_dir.is_dir():
            return []
        return [path.read_text("utf-8", "replace") for path in sorted(self.queue_dir.glob("m:*"))]

    def age_queue(self, seconds: int = GIVE_UP_AFTER + 4 * 60 * 60) -> int:
        """Restart chasquid with every queued message `seconds` older; how many were aged.

        Stopped first, so chasquid does not rewrite the file meanwhile; on
        starting, it loads its queue and gives up on what is too old.
        """
        self.stop()
        aged = 0
        for path in sorted(self.queue_dir.glob("m:*")):
            text = path.read_text("utf-8")

            def older(match: re.Match[str]) -> str:
                return f"{match.group(1)}{int(match.group(2)) - seconds}"

            new, count = re.subn(r"(created_at_ts: \{\s*seconds: )(\d+)", older, text)
            if count != 1:
                raise ChasquidLabError(f"{path.name}: no created_at_ts in {text[:400]!r}")
            path.write_text(new, "utf-8")
            aged += 1
        self.start()
        return aged

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_file, "chasquid log", lines)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)
