"""Debian packages fetched into a cache and unpacked there, never installed.

The MTA labs run other MTAs next to the system's Postfix: installing one with
apt would remove Postfix (they all provide mail-transport-agent), so a lab
only ``apt-get download``s its packages and ``dpkg -x``es them into a cache
directory, then runs the binary from that tree.  This is the fetch-and-unpack
step, written once for any lab that wants it (the DragonFly Mail Agent lab
first).
"""

from __future__ import annotations

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
    if not list(debs.glob("*.deb")):
        fetched = subprocess.run(
            ["apt-get", "download", *packages],
            cwd=debs,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if fetched.returncode != 0:
            raise UnpackError(
                f"apt-get download {' '.join(packages)} exited {fetched.returncode}:"
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
