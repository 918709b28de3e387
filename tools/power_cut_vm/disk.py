"""The guest's one writable disk: an ext4 image file, made, recovered and read on the host.

After the power cut the image is in the state a real disk would be in: the
journal not replayed and the guest's unwritten page cache gone. e2fsck
replays the journal as the next boot would, and debugfs copies files out
without mounting (which needs privileges containers often lack).
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class DiskError(RuntimeError):
    """The image could not be made, checked or read; the message says why."""


def make_disk(image: Path, size_mb: int = 256) -> Path:
    """A fresh ext4 file system with the defaults a Debian install uses (journal, ordered data)."""
    with image.open("wb") as out:
        out.truncate(size_mb * 1024 * 1024)
    _run(["mkfs.ext4", "-q", "-F", "-L", "sinkdata", str(image)], "mkfs.ext4")
    return image


def recover(image: Path) -> str:
    """Replay the journal and check the file system as a boot would; its report, for messages.

    e2fsck exits 0 (clean) or 1 (errors corrected, a journal replay among
    them); anything higher means the file system is damaged beyond that.
    """
    done = subprocess.run(
        ["e2fsck", "-f", "-y", str(image)], capture_output=True, text=True, check=False
    )
    if done.returncode > 1:
        raise DiskError(f"e2fsck exited {done.returncode}: {done.stdout}{done.stderr}")
    return done.stdout


def copy_out(image: Path, inner: str, target: Path) -> bool:
    """Copy file `inner` of the image to `target`; False when the image has no such file."""
    _run(["debugfs", "-R", f"dump -p {inner} {target}", str(image)], "debugfs dump")
    return target.exists()


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DiskError(
            f"{what} failed ({done.returncode}): {done.stderr.strip()} (apt-get install e2fsprogs?)"
        )
