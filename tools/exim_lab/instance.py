"""A throwaway, private Exim 4 that runs from Debian's unpacked package and talks only to loopback.

Debian's exim4 is never installed (apt would remove Postfix, which the rest
of the suite needs): ``apt-get download`` fetches bookworm's
``exim4-daemon-light`` (the binary) and ``libidn12`` (a library it links that
Postfix machines lack) into a cache directory, and ``dpkg -x`` unpacks them
there.  The unpacked binary loses its setuid bit, so the dynamic loader
honours ``LD_LIBRARY_PATH`` for libidn when Exim re-executes itself as its
unprivileged user to send a bounce.

Debian compiles the name of Exim's user (``Debian-exim``) into the binary and
Exim looks it up before reading any configuration.  Where the package's
postinst never ran that user is missing, so the wrapper script Exim runs as
``exim_path`` enters a private mount namespace with copies of /etc/passwd and
/etc/group that add it (with the ``mail`` user's ids); the system's files are
never written.  Everything else (spool, logs, configuration) lives in one
temporary directory, and every router sends mail to 127.0.0.1 or to the DNS
name the case is about, so nothing leaves the machine.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mta_lab.debs import UnpackError, unpacked_packages
from mta_lab.processes import checked_output, log_tail

EXIM_PACKAGES = ("exim4-daemon-light", "libidn12")
"""Debian bookworm packages the lab unpacks (never installs)."""

DEFAULT_CACHE = Path(os.environ.get("EXIM_LAB_CACHE", "/var/cache/bounce-sink/exim-lab"))
COMPILED_USER = "Debian-exim"  # Debian's EXIM_USER, looked up before the configuration
SYSTEM_USER = "mail"  # whose ids the private Debian-exim entry borrows
LIBRARY_DIR = Path("usr/lib/x86_64-linux-gnu")
EXIM_BINARY = Path("usr/sbin/exim4")


class EximLabError(RuntimeError):
    """The private Exim could not be fetched, set up or run; the message says why."""


def unpacked_exim(cache: Path = DEFAULT_CACHE) -> Path:
    """The root of the unpacked packages, downloading and unpacking them on first use.

    The cache and everything under it is world-readable: Exim's own user
    runs the binary from there again to send bounces.
    """
    try:
        root = unpacked_packages(cache, EXIM_PACKAGES, str(EXIM_BINARY))
    except UnpackError as error:
        raise EximLabError(str(error)) from error
    (root / EXIM_BINARY).chmod(0o755)  # drop setuid: see the module docstring
    return root


_WRAPPER = """\
#!/bin/sh
# exim_path of the lab: Debian's exim4 with the libraries unpacked beside it.
if getent passwd {user} >/dev/null && getent group {user} >/dev/null; then
  LD_LIBRARY_PATH={libs} exec {binary} "$@"
fi
# Not yet in the private namespace (only root gets here): add the user there.
exec unshare -m sh -c 'mount --bind {passwd} /etc/passwd && mount --bind {group} /etc/group \\
  && exec "$0" "$@"' "$0" "$@"
"""


@dataclass
class EximInstance:
    """One private Exim: ``routers`` are Exim router blocks (name: body), tried in order.

    Mail is submitted on the command line (``exim -odi -f sender rcpt...``),
    as a newsletter tool that calls sendmail does, and delivered at once;
    ``queue_run()`` retries what was deferred.
    """

    base_dir: Path
    root: Path
    routers: Mapping[str, str]
    main: Mapping[str, str] = field(default_factory=dict)
    retry_rule: str = "*  *  F,6s,1s"
    primary_hostname: str = "mta.example.org"

    @classmethod
    def in_new_temp_dir(
        cls,
        routers: Mapping[str, str],
        main: Mapping[str, str] | None = None,
        cache: Path = DEFAULT_CACHE,
    ) -> EximInstance:
        if os.geteuid() != 0:
            raise EximLabError("the Exim lab runs as root (it binds Exim's user into a namespace)")
        root = unpacked_exim(cache)
        base = Path(tempfile.mkdtemp(prefix="exim-lab-", dir="/tmp"))
        base.chmod(0o755)
        return cls(base_dir=base, root=root, routers=dict(routers), main=dict(main or {}))

    @property
    def config_file(self) -> Path:
        return self.base_dir / "exim.conf"

    @property
    def wrapper(self) -> Path:
        return self.base_dir / "exim"

    @property
    def log_dir(self) -> Path:
        return self.base_dir / "log"

    def settings(self) -> dict[str, str]:
        """Every main option this instance sets, defaults first, then the caller's."""
        base = {
            "exim_path": str(self.wrapper),
            "exim_user": COMPILED_USER,
            "exim_group": COMPILED_USER,
            "never_users": "",
            "keep_environment": "",
            "spool_directory": str(self.base_dir / "spool"),
            "log_file_path": str(self.log_dir / "%slog"),
            "primary_hostname": self.primary_hostname,
            "qualify_domain": "example.org",
            "local_interfaces": "127.0.0.1",
            "disable_ipv6": "true",
            "rfc1413_hosts": "",
            "host_lookup": "",
            "tls_advertise_hosts": "",
        }
        base.update(self.main)
        return base

    def write_files(self) -> None:
        """Configuration, wrapper, private passwd/group copies and Exim-owned spool and log."""
        mail = pwd.getpwnam(SYSTEM_USER)
        passwd, group = self.base_dir / "passwd", self.base_dir / "group"
        passwd.write_text(
            Path("/etc/passwd").read_text()
            + f"{COMPILED_USER}:x:{mail.pw_uid}:{mail.pw_gid}::/nonexistent:/usr/sbin/nologin\n"
        )
        group.write_text(Path("/etc/group").read_text() + f"{COMPILED_USER}:x:{mail.pw_gid}:\n")
        self.wrapper.write_text(
            _WRAPPER.format(
                user=COMPILED_USER,
                libs=self.root / LIBRARY_DIR,
                binary=self.root / "usr" / "sbin" / "exim4",
                passwd=passwd,
                group=group,
            )
        )
        self.wrapper.chmod(0o755)
        # Exim's user owns its spool and logs: Debian-exim where a real one exists
        # (the package's postinst or CI made it), else the ids it borrows here.
        try:
            owner = pwd.getpwnam(COMPILED_USER)
            uid, gid = owner.pw_uid, grp.getgrnam(COMPILED_USER).gr_gid
        except KeyError:
            uid, gid = mail.pw_uid, mail.pw_gid
        for folder in (self.base_dir / "spool", self.log_dir):
            folder.mkdir(exist_ok=True)
            os.chown(folder, uid, gid)
        lines = [f"{key} = {value}" for key, value in self.settings().items()]
        lines += ["", "begin routers", ""]
        for name, body in self.routers.items():
            lines += [f"{name}:", *(f"  {line.strip()}" for line in body.strip().splitlines()), ""]
        lines += [
            "begin transports",
            "",
            "remote_smtp:",
            "  driver = smtp",
            "  allow_localhost",  # every "remote" server of the lab is on 127.0.0.1
            "  hosts_try_chunking =",
            # Exim passes an open connection on to messages waiting for the same
            # IP address, port or not; here the bounce capture and the "remote"
            # servers all are 127.0.0.1, so each message gets its own connection.
            "  connection_max_messages = 1",
            "",
            # The same client speaking LMTP: how Exim hands mail to a store (Dovecot).
            "lmtp_store:",
            "  driver = smtp",
            "  protocol = lmtp",
            "  port = 24",  # LMTP's number (no /etc/services name here); the route names the real one
            "  allow_localhost",
            "  hosts_try_chunking =",
            "",
            "begin retry",
            "",
            self.retry_rule,
            "",
        ]
        self.config_file.write_text("\n".join(lines))

    def run(self, *args: str, stdin: bytes = b"", timeout: float = 60.0) -> str:
        """Run ``exim -C <config> ARGS`` and return its output; a non-zero exit raises."""
        return checked_output(
            [str(self.wrapper), "-C", str(self.config_file), *args],
            f"exim {' '.join(args)}",
            EximLabError,
            stdin=stdin,
            timeout=timeout,
            context=self.log_tail,
        )

    def start(self) -> None:
        """Write the files and check that the configuration parses (``exim -bV``)."""
        self.write_files()
        self.run("-bV")

    def submit(self, message: bytes, sender: str, recipients: Sequence[str]) -> None:
        """Hand one message to Exim as sendmail would, delivering it before returning."""
        self.run("-odi", "-oi", "-f", sender, "--", *recipients, stdin=message)

    def queue_run(self) -> None:
        """Retry every deferred message now (``-qf``), as the daemon's queue runner would."""
        self.run("-qf")

    def remove(self) -> None:
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_dir / "mainlog", "exim mainlog", lines)
