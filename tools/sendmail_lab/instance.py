"""A throwaway, private Sendmail 8.17 that runs from Debian's unpacked packages and talks only to loopback.

Debian's sendmail is never installed (apt would remove Postfix, which the
rest of the suite needs): ``apt-get download`` fetches bookworm's
``sendmail-bin`` (the binary), ``sendmail-cf`` (the m4 templates every
sendmail.cf is built from), ``m4`` (to build it) and ``libwrap0`` (a library
the binary links that Postfix machines lack) into a cache directory, and
``dpkg -x`` unpacks them there.  ``sendmail-base`` holds only Debian's
configuration scripts and the lab writes its own configuration, so it is
not fetched.  The unpacked binary loses its setgid bit, so the dynamic
loader honours ``LD_LIBRARY_PATH`` for libwrap.

Sendmail wants a fully qualified name for its own host before it reads any
configuration; a machine named ``vm`` makes it sleep a minute and retry on
every start.  Each run therefore happens in a private UTS namespace
(``unshare --uts``) whose host name is ``mta.example.org``; the machine's
own name is never changed.  The queue, alias file, mailertable and the
sendmail.cf (built with m4 from the package's templates) live in one
temporary directory.  Sendmail logs only to syslog, which these machines do
not run, so errors quote the queue listing (``-bp``) instead of a log.
Every domain the lab uses is routed by a mailertable to a loopback port, or
looked up in DNS for the case that is about a missing domain, so nothing
leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from mta_lab.debs import UnpackError, unpacked_packages
from mta_lab.processes import checked_output, end_process, log_tail, why_no_greeting

SENDMAIL_PACKAGES = ("sendmail-bin", "sendmail-cf", "m4", "libwrap0")
"""Debian bookworm packages the lab unpacks (never installs)."""

DEFAULT_CACHE = Path(os.environ.get("SENDMAIL_LAB_CACHE", "/var/cache/bounce-sink/sendmail-lab"))
HOSTNAME = "mta.example.org"  # the lab host's name inside its UTS namespace
SENDMAIL = Path("usr/libexec/sendmail/sendmail")
M4 = Path("usr/bin/m4")
CF_DIR = Path("usr/share/sendmail/cf")
LIBRARY_DIR = Path("usr/lib/x86_64-linux-gnu")


class SendmailLabError(RuntimeError):
    """The private Sendmail could not be fetched, set up or run; the message says why."""


def unpacked_sendmail(cache: Path = DEFAULT_CACHE) -> Path:
    """The root of the unpacked packages, downloading and unpacking them on first use."""
    try:
        root = unpacked_packages(cache, SENDMAIL_PACKAGES, str(SENDMAIL))
    except UnpackError as error:
        raise SendmailLabError(str(error)) from error
    (root / SENDMAIL).chmod(0o755)  # drop setgid: see the module docstring
    return root


# Sendmail's own m4 front end: only what the lab needs, on top of the stock
# rule sets of cf.m4.  TrustStickyBit: the instance lives under /tmp, which
# Sendmail otherwise calls an unsafe path for its queue and maps.
_MC = """\
divert(-1)
dnl bounce-sink's Sendmail lab: one loopback listener, every domain routed by mailertable.
divert(0)dnl
include(`{cf}/m4/cf.m4')dnl
VERSIONID(`bounce-sink sendmail lab')dnl
OSTYPE(`linux')dnl
define(`confDOMAIN_NAME', `{hostname}')dnl
define(`QUEUE_DIR', `{base}/queue')dnl
define(`ALIAS_FILE', `{base}/aliases')dnl
define(`STATUS_FILE', `{base}/statistics')dnl
define(`HELP_FILE', `{base}/helpfile')dnl
define(`confPID_FILE', `{base}/sendmail.pid')dnl
define(`confHOST_STATUS_DIRECTORY', `')dnl
define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl
define(`confDONT_PROBE_INTERFACES', `true')dnl
define(`confTO_QUEUEWARN', `{queue_warn}')dnl
define(`confTO_QUEUERETURN', `{queue_return}')dnl
define(`confMIME_FORMAT_ERRORS', `{mime_errors}')dnl
FEATURE(`no_default_msa')dnl
FEATURE(`nocanonify')dnl
FEATURE(`promiscuous_relay')dnl
FEATURE(`accept_unresolvable_domains')dnl
FEATURE(`mailertable', `text -k0 -v1 {base}/mailertable')dnl
DAEMON_OPTIONS(`Port={port}, Addr=127.0.0.1, Name=MTA')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
MAILER_DEFINITIONS
{mailers}
"""

# The stock esmtp mailer, but to a fixed port: the lab's "remote" servers
# all are 127.0.0.1, told apart by port only.
_MAILER = (
    "M{name},\tP=[IPC], F=mDFMuXa, S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP, E=\\r\\n, L=990,\n"
    "\tT=DNS/RFC822/SMTP, A=TCP $h {port}"
)


@dataclass
class SendmailInstance:
    """One private Sendmail daemon on 127.0.0.1:``port``.

    ``routes`` is the mailertable (domain: ``mailer:[address]``); ``mailers``
    are extra SMTP mailers (name: port) the routes may name.  Sendmail's
    queue warning and give-up times are seconds here, so a deferred message
    warns and fails within one test run.
    """

    base_dir: Path
    root: Path
    port: int
    routes: Mapping[str, str]
    mailers: Mapping[str, int]
    queue_warn: str = "2s"
    queue_return: str = "8s"
    mime_errors: bool = True  # SendMimeErrors: RFC 3464 reports, or plain-text notices
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log: IO[bytes] | None = field(default=None, repr=False)

    @classmethod
    def in_new_temp_dir(
        cls,
        port: int,
        routes: Mapping[str, str],
        mailers: Mapping[str, int],
        cache: Path = DEFAULT_CACHE,
        mime_errors: bool = True,
    ) -> SendmailInstance:
        if os.geteuid() != 0:
            raise SendmailLabError("the Sendmail lab runs as root (it enters a UTS namespace)")
        root = unpacked_sendmail(cache)
        base = Path(tempfile.mkdtemp(prefix="sendmail-lab-", dir="/tmp"))
        return cls(base, root, port, dict(routes), dict(mailers), mime_errors=mime_errors)

    @property
    def config_file(self) -> Path:
        return self.base_dir / "sendmail.cf"

    @property
    def daemon_log(self) -> Path:
        """The daemon's own stdout and stderr (its log proper goes to syslog)."""
        return self.base_dir / "daemon.out"

    def command(self, *args: str) -> list[str]:
        """``sendmail -C <cf> ARGS`` in a UTS namespace named for the lab host.

        ``unshare`` without ``--fork`` and the shell's ``exec`` keep one
        process, so a Popen's pid is Sendmail's own.
        """
        script = 'hostname "$0" && exec "$@"'
        binary = str(self.root / SENDMAIL)
        return [
            "unshare",
            "--uts",
            "sh",
            "-c",
            script,
            HOSTNAME,
            binary,
            "-C",
            str(self.config_file),
            *args,
        ]

    def _environment(self) -> dict[str, str]:
        return {**os.environ, "LD_LIBRARY_PATH": str(self.root / LIBRARY_DIR)}

    def write_files(self) -> None:
        """Queue, aliases, mailertable, and sendmail.cf built by m4 from the package's templates."""
        (self.base_dir / "queue").mkdir(mode=0o700, exist_ok=True)
        (self.base_dir / "aliases").write_text("postmaster: root\nMAILER-DAEMON: postmaster\n")
        (self.base_dir / "mailertable").write_text(
            "".join(f"{domain}\t{route}\n" for domain, route in self.routes.items())
        )
        mc = _MC.format(
            cf=self.root / CF_DIR,
            hostname=HOSTNAME,
            base=self.base_dir,
            port=self.port,
            queue_warn=self.queue_warn,
            queue_return=self.queue_return,
            mime_errors="True" if self.mime_errors else "False",
            mailers="\n".join(
                _MAILER.format(name=name, port=port) for name, port in self.mailers.items()
            ),
        )
        (self.base_dir / "sendmail.mc").write_text(mc)
        built = subprocess.run(
            [str(self.root / M4), str(self.base_dir / "sendmail.mc")],
            capture_output=True,
            check=False,
            timeout=60,
        )
        if built.returncode != 0:
            raise SendmailLabError(f"m4 could not build sendmail.cf: {built.stderr.decode()}")
        self.config_file.write_bytes(built.stdout)

    def run(
        self, *args: str, stdin: bytes = b"", timeout: float = 60.0, exits: Collection[int] = (0,)
    ) -> str:
        """Run ``sendmail -C <cf> ARGS`` and return its output; an exit not in ``exits`` raises."""
        return checked_output(
            self.command(*args),
            f"sendmail {' '.join(args)}",
            SendmailLabError,
            stdin=stdin,
            timeout=timeout,
            exits=exits,
            env=self._environment(),
        )

    def start(self, timeout: float = 20.0) -> None:
        """Write the files, build the alias database, start the daemon and wait for its 220."""
        self.write_files()
        self.run("-bi")
        self._log = self.daemon_log.open("wb")
        # -bD: the daemon of -bd, but in the foreground, so the pid is ours to stop.
        self.process = subprocess.Popen(
            self.command("-bD"),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self._environment(),
        )
        problem = why_no_greeting(self.port, timeout, [self.process])
        if problem is not None:
            raise SendmailLabError(f"sendmail -bD: {problem}{self.log_tail()}")

    def submit(self, message: bytes, sender: str, recipients: Sequence[str]) -> None:
        """Hand one message to Sendmail on its command line, as a local program would,
        delivering it before returning (``-odi``); errors are mailed back
        to the sender (``-oem``), as for a program that reads no terminal.
        Sendmail still exits with the failure's sysexits code then (67 for
        an unknown user, 68 for an unknown host), which is no lab error."""
        self.run(
            "-odi", "-oem", "-oi", "-f", sender, "--", *recipients, stdin=message, exits=(0, 67, 68)
        )

    def queue_run(self) -> None:
        """Run the queue once now (``-q``): retries, warnings and give-ups happen here."""
        self.run("-q")

    def queue_listing(self) -> str:
        """What is still queued and why (``-bp``), for error messages."""
        try:
            return "\n--- sendmail -bp ---\n" + self.run("-bp", timeout=20)
        except (SendmailLabError, subprocess.TimeoutExpired) as error:
            return f"\n--- sendmail -bp failed: {error} ---"

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the daemon we started (it stops its own children), then wait."""
        end_process(self.process, timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.daemon_log, "sendmail -bD output", lines)
