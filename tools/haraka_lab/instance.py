"""A throwaway, private Haraka (the Node.js MTA) installed from npm into a cache, on loopback only.

Haraka is no Debian package: the lab installs a pinned version from the npm
registry into its own cache directory (``npm install --prefix``), never
globally, and runs its ``bin/haraka`` with the machine's node.  Haraka's
optional dependencies (its externally packaged plugins, some with native
code) are left out; the one the lab needs, ``haraka-plugin-relay``, is named
with its own pinned version.

Each instance is one directory, as ``haraka -i`` would lay it out: config/
(smtp.ini listening on 127.0.0.1 at a high port, the relay plugin allowing
127.0.0.1, outbound's short retry schedule, ``me``), plugins/ (the lab's
``lab_mx`` get_mx hook, which sends each lab domain to a loopback port) and
the outbound queue.  Haraka logs to stdout, which goes to a file here, so an
error can quote what Haraka said.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mta_lab.processes import end_process, free_port, log_tail, why_no_greeting

HARAKA_VERSION = "3.3.4"
RELAY_PLUGIN_VERSION = "1.0.2"
NPM_PACKAGES = (f"Haraka@{HARAKA_VERSION}", f"haraka-plugin-relay@{RELAY_PLUGIN_VERSION}")
"""What the lab installs from npm (``--omit=optional``: none of Haraka's optional plugins)."""

NODE_MAJOR = 20  # Haraka 3.3's engines: node >= 20
DEFAULT_CACHE = Path(os.environ.get("HARAKA_LAB_CACHE", "/var/cache/bounce-sink/haraka-lab"))
LAB_PLUGINS = Path(__file__).resolve().parent / "plugins"
MTA_HOSTNAME = "mta.example.org"


class HarakaLabError(RuntimeError):
    """Haraka could not be installed, set up or started; the message says why."""


def npm_install_command(cache: Path) -> list[str]:
    """The one npm call that fills the cache (also what CI runs ahead of time)."""
    return [
        "npm",
        "install",
        "--prefix",
        str(cache),
        "--omit=optional",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        *NPM_PACKAGES,
    ]


def _installed_version(package_dir: Path) -> str | None:
    try:
        version = json.loads((package_dir / "package.json").read_text())["version"]
    except (FileNotFoundError, ValueError, KeyError):
        return None
    return str(version)


def _check_node() -> None:
    node = shutil.which("node")
    if node is None:
        raise HarakaLabError("node is not installed (Haraka runs on node >= 20)")
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    try:
        major = int(version.lstrip("v").split(".")[0])
    except ValueError:
        raise HarakaLabError(f"cannot read node's version: {version!r}") from None
    if major < NODE_MAJOR:
        raise HarakaLabError(f"node {version} is too old for Haraka {HARAKA_VERSION}")


def installed_haraka(cache: Path = DEFAULT_CACHE) -> Path:
    """``bin/haraka`` of the pinned Haraka in `cache`, installed from npm when it is not there.

    The versions of both packages mark a complete install: an interrupted
    or older one is installed again.  A failure says what npm said, so CI
    fails with the reason instead of a missing file later on.
    """
    _check_node()
    modules = cache / "node_modules"
    binary = modules / "Haraka" / "bin" / "haraka"
    wanted = {"Haraka": HARAKA_VERSION, "haraka-plugin-relay": RELAY_PLUGIN_VERSION}
    if all(_installed_version(modules / name) == version for name, version in wanted.items()):
        return binary
    if shutil.which("npm") is None:
        raise HarakaLabError("npm is not installed (the lab installs Haraka with it)")
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        npm_install_command(cache), capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0 or not binary.exists():
        raise HarakaLabError(
            f"npm install into {cache} failed ({done.returncode}): {done.stderr.strip()}"
        )
    return binary


def ini(sections: Mapping[str, Mapping[str, str | int]]) -> str:
    """An ini file's text; the section "" holds the keys before any [section]."""
    lines: list[str] = []
    for name, values in sections.items():
        if name:
            lines.append(f"[{name}]")
        lines += [f"{key}={value}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


@dataclass
class HarakaInstance:
    """One private Haraka: ``routes`` (domain: (port, lmtp)) are where outbound delivers.

    Every route is 127.0.0.1; a domain without one is looked up in DNS,
    asked of ``nameserver`` only.  ``retry_after`` is outbound's
    ``temp_fail_intervals``: one retry that long after a temporary failure,
    then the bounce (Haraka's default is 12 retries over about three days).
    ``bounce_templates``: Haraka's shipped bounce templates are copied in.
    """

    base_dir: Path
    binary: Path
    smtp_port: int
    routes: Mapping[str, tuple[int, bool]]
    nameserver: str
    retry_after: str = "5s"
    bounce_templates: bool = True
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def in_new_temp_dir(
        cls,
        routes: Mapping[str, tuple[int, bool]],
        nameserver: str,
        cache: Path = DEFAULT_CACHE,
        *,
        bounce_templates: bool = True,
    ) -> HarakaInstance:
        binary = installed_haraka(cache)
        base = Path(tempfile.mkdtemp(prefix="haraka-lab-", dir="/tmp"))
        return cls(
            base, binary, free_port(), dict(routes), nameserver, bounce_templates=bounce_templates
        )

    @property
    def config_dir(self) -> Path:
        return self.base_dir / "config"

    @property
    def queue_dir(self) -> Path:
        return self.base_dir / "queue"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "haraka.log"

    def config_files(self) -> dict[str, str]:
        """Each file of config/ (see the Haraka docs of each plugin and of outbound)."""
        routes: dict[str, dict[str, str | int]] = {"main": {"nameserver": self.nameserver}}
        for domain, (port, lmtp) in self.routes.items():
            routes[domain] = {"host": "127.0.0.1", "port": port, "lmtp": str(lmtp).lower()}
        return {
            "me": MTA_HOSTNAME,
            # relay: the newsletter tool on 127.0.0.1 may relay; lab_mx: where to.
            "plugins": "relay\nlab_mx\n",
            "smtp.ini": ini(
                {"main": {"listen": f"127.0.0.1:{self.smtp_port}", "force_shutdown_timeout": 2}}
            ),
            "relay.ini": ini({"relay": {"acl": "true"}}),
            "relay_acl_allow": "127.0.0.1/32\n",
            "outbound.ini": ini(
                {
                    "main": {
                        "enable_tls": "false",  # the lab's servers offer no STARTTLS
                        "temp_fail_intervals": self.retry_after,
                        "connect_timeout": 5,
                    }
                }
            ),
            "lab_mx.ini": ini(routes),
            "log.ini": ini({"main": {"level": "info", "timestamps": "true"}}),
        }

    def write_config(self) -> None:
        """``haraka -i`` lays out the directory with Haraka's defaults (connection.ini
        and others are read from there only), then the lab's files go over them."""
        done = subprocess.run(
            ["node", str(self.binary), "-i", str(self.base_dir)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise HarakaLabError(f"haraka -i {self.base_dir} failed: {done.stderr.strip()}")
        self.queue_dir.mkdir(exist_ok=True)
        # The bounce templates Haraka ships (text, HTML and its icon), as an
        # operator copies them: ``-i`` does not, and without them
        # (``bounce_templates`` off: a directory left as ``-i`` made it)
        # outbound writes a bounce with no From, To or Subject and an empty
        # text part.
        shipped = self.binary.parent.parent / "config"
        for template in sorted(shipped.glob("outbound.bounce_message*")):
            if self.bounce_templates:
                shutil.copy(template, self.config_dir / template.name)
        for name, text in self.config_files().items():
            (self.config_dir / name).write_text(text, encoding="utf-8")
        shutil.copytree(LAB_PLUGINS, self.base_dir / "plugins", dirs_exist_ok=True)

    def start(self, timeout: float = 20.0) -> None:
        """Write the configuration, start Haraka and wait until it greets on its port."""
        self.write_config()
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(
                ["node", str(self.binary), "-c", str(self.base_dir)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.base_dir,
            )
        problem = why_no_greeting(self.smtp_port, timeout, [self.process])
        if problem is not None:
            self.stop()
            raise HarakaLabError(f"Haraka: {problem}{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """End the Haraka we started (its own process only)."""
        end_process(self.process, timeout)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def queued(self) -> list[str]:
        """The outbound queue's files (a message still being retried), for error messages."""
        if not self.queue_dir.is_dir():
            return []
        return sorted(path.name for path in self.queue_dir.iterdir())

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_file, "haraka log", lines)
