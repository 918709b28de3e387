"""Shell pieces for running a lab MTA in a private mount namespace, written once for every lab.

Several MTAs have their paths compiled in (/etc/<mta>, their spool, the
programs they start by absolute path), and none of them may be installed
(each provides mail-transport-agent, so apt would remove Postfix).  So a lab
gives its MTA a mount namespace of its own: ``unshare`` runs a shell that
mounts what the MTA must see there (overlays whose upper directories are in
the lab's temporary directory, so the system's files show through and are
never written; bind mounts of single files) and then ``exec``s the MTA, or
something that holds the namespace open.  ``unshare`` without ``--fork`` and
the shell's ``exec`` keep one process, so the Popen's pid is the program
the script ends in, and other programs enter its namespace with ``nsenter``.
"""

from __future__ import annotations

import shlex
from pathlib import Path


def in_private_namespace(script: str) -> list[str]:
    """The command running shell `script` in a fresh mount namespace, its mounts private."""
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]


def overlay(target: str, upper: Path, work: Path) -> str:
    """Mount `target` overlaid with `upper`: what is written there lands in `upper`."""
    options = f"lowerdir={target},upperdir={upper},workdir={work}"
    return f"mount -t overlay overlay -o {shlex.quote(options)} {target}"


def usr_overlay(root: Path) -> str:
    """Mount the unpacked packages' /usr (under `root`) over the system's, read-only."""
    return f"mount -t overlay overlay -o lowerdir={root / 'usr'}:/usr /usr"


def bind_mount(source: Path, target: str) -> str:
    """Mount `source` (a file or folder of the lab's) at `target`."""
    return f"mount --bind {shlex.quote(str(source))} {target}"


def entered(pid: int, *command: str) -> list[str]:
    """`command` run in the mount namespace that process `pid` holds."""
    return ["nsenter", f"--target={pid}", "--mount", "--", *command]
