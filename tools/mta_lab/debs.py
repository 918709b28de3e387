"""Debian packages fetched into a cache and unpacked there, never installed.

The MTA labs run other MTAs next to the system's Postfix: installing one with
apt would remove Postfix (they all provide mail-transport-agent), so a lab
only ``apt-get download``s its packages and ``dpkg -x``es them into a cache
directory, then runs the binary from that tree.  This is the fetch-and-unpack
step, written once for every lab that unpacks (Exim, OpenSMTPD, Sendmail,
Courier, dma); what a lab does after it (drop a setuid bit, check libraries)
stays in the lab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


class UnpackError(RuntimeError):
    """A package could not be downloaded or unpacked, or lacked the expected file."""


def unpacked_packages(cache: Path, packages: Sequence[str], binary: str) -> Path:
    """The root of `packages` unpacked under `cache`, fetched on first use.

    `binary` (relative, e.g. ``usr/sbin/dma``) must be in the tree: its
    presence marks a complete unpack, so an interrupted run is redone rather
    than half used.  Only a finished unpack is renamed into place.  Failures
    say which step failed, so CI fails with the reason instead of a missing
    file later on.
    """
    root = cache / "root"
    if (root / binary).exists():
        return root
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    for folder in (cache, debs):
        folder.chmod(0o755)  # the MTA's unprivileged user may run the binary from here
    # Only what is missing: an interrupted download is finished, not repeated.
    wanted = [p for p in packages if not list(debs.glob(f"{p}_*.deb"))]
    if wanted:
        fetched = subprocess.run(
            ["apt-get", "download", *wanted],
            cwd=debs,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if fetched.returncode != 0:
            raise UnpackError(
                f"apt-get download {' '.join(wanted)} exited {fetched.returncode}:"
                f" {fetched.stderr.strip()}"
            )
    staging = Path(tempfile.mkdtemp(prefix="unpack-", dir=cache))
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg", "-x", str(deb), str(staging)], check=True, timeout=120)
    if not (staging / binary).exists():
        raise UnpackError(f"no {binary} in the packages in {debs}")
    staging.chmod(0o755)
    if root.exists():
        shutil.rmtree(root)
    staging.rename(root)
    return root


def missing_libraries(
    root: Path, programs: Sequence[str], library_dirs: Sequence[str] = ()
) -> list[str]:
    """Shared libraries `programs` (relative to `root`) need that ``ldd`` cannot find.

    `library_dirs` (relative to `root`) are searched too, as the lab's
    ``LD_LIBRARY_PATH`` will be when it runs them.  An unpacked package
    brings no dependencies, so a lab checks this once after unpacking and
    fails with the names instead of a loader error from a daemon's log.
    """
    env = dict(os.environ)
    if library_dirs:
        env["LD_LIBRARY_PATH"] = ":".join(str(root / d) for d in library_dirs)
    missing: set[str] = set()
    for program in programs:
        done = subprocess.run(
            ["ldd", str(root / program)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=30,
        )
        missing.update(line.split()[0] for line in done.stdout.splitlines() if "not found" in line)
    return sorted(missing)


def runnable_packages(
    cache: Path, packages: Sequence[str], programs: Sequence[str], library_dirs: Sequence[str] = ()
) -> Path:
    """`packages` unpacked into `cache` (``unpacked_packages``, `programs`\\[0] the marker),
    checked to run here (``missing_libraries``): the root, or UnpackError saying which
    step failed (download, unpack, libraries), so CI fails with a reason, not later
    with a missing file or a loader error."""
    root = unpacked_packages(cache, packages, programs[0])
    missing = missing_libraries(root, programs, library_dirs)
    if missing:
        raise UnpackError(f"{root / programs[0]} needs libraries this system lacks: {missing}")
    return root
