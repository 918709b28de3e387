"""The guest's first and only userland: busybox, the kernel modules and an init script.

The guest has no disk image of its own. Its init mounts the host's root over
9p read-only (so the guest runs the very Python, virtualenv and checkout the
test runs, wherever they are: CI's checkout is under /tmp, so nothing is
mounted over that), a tmpfs on /run, and the one ext4 disk at ``DATA_DIR``, then runs
the given command there in a chroot. Only that disk is written, so only it
can lose data when the power goes. The archive is the kernel's "newc" cpio,
written here rather than by cpio(1), which minimal machines may lack.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
DATA_DIR = "/run/sinkdata"  # on the tmpfs over the host's /run, which the guest does not need
GUEST_ADDRESS = "10.0.2.15/24"  # QEMU user networking's usual guest address
READY = "power-cut-vm: disk mounted"
EXITED = "power-cut-vm: command exited"

_INIT = """#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
for m in {modules}; do
  $B insmod /modules/$m || echo "power-cut-vm: insmod $m failed"
done
$B mkdir -p /host
$B mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /host \\
  || echo "power-cut-vm: cannot mount the host's root over 9p"
$B mount -t tmpfs tmpfs /host/run
$B mount -t proc proc /host/proc
$B mount -t sysfs sysfs /host/sys
$B mount -t devtmpfs devtmpfs /host/dev
$B mkdir -p /host{data}
$B mount -t ext4 /dev/vda /host{data} || echo "power-cut-vm: cannot mount /dev/vda"
$B ip link set lo up
$B ip addr add {address} dev eth0
$B ip link set eth0 up
echo "{ready}"
$B chroot /host /usr/bin/env -i {env} /bin/sh -c {script}
echo "{exited} $?"
$B sync
$B poweroff -f
"""


def init_script(
    modules: Sequence[str], command: Sequence[str], env: Mapping[str, str], cwd: str = DATA_DIR
) -> str:
    """The /init that loads `modules` in order, mounts everything and runs `command` in `cwd`."""
    script = f"cd {shlex.quote(cwd)} && exec {shlex.join(command)}"
    return _INIT.format(
        modules=" ".join(modules),
        data=DATA_DIR,
        address=GUEST_ADDRESS,
        ready=READY,
        exited=EXITED,
        env=" ".join(shlex.quote(f"{k}={v}") for k, v in env.items()),
        script=shlex.quote(script),
    )


def write_initramfs(
    target: Path,
    modules: Sequence[Path],
    command: Sequence[str],
    env: Mapping[str, str],
    cwd: str = DATA_DIR,
) -> Path:
    """Write the archive to `target`: /init, /bin/busybox and /modules/*.ko."""
    if not BUSYBOX.exists() or shutil.which("busybox") is None:
        raise FileNotFoundError(f"{BUSYBOX} is missing: apt-get install busybox-static")
    init = init_script([m.name for m in modules], command, env, cwd)
    entries: list[tuple[str, int, bytes]] = [
        ("bin", 0o040755, b""),
        ("dev", 0o040755, b""),
        ("proc", 0o040755, b""),
        ("sys", 0o040755, b""),
        ("modules", 0o040755, b""),
        ("init", 0o100755, init.encode()),
        ("bin/busybox", 0o100755, BUSYBOX.read_bytes()),
    ]
    entries += [(f"modules/{m.name}", 0o100644, m.read_bytes()) for m in modules]
    with target.open("wb") as out:
        for number, (name, mode, data) in enumerate(entries, start=1):
            out.write(_newc_entry(name, mode, data, number))
        out.write(_newc_entry("TRAILER!!!", 0, b"", 0))
    return target


def _newc_entry(name: str, mode: int, data: bytes, inode: int) -> bytes:
    encoded = name.encode() + b"\x00"
    fields = (inode, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0)
    header = b"070701" + b"".join(b"%08X" % f for f in fields)
    return _pad(header + encoded) + _pad(data)


def _pad(chunk: bytes) -> bytes:
    return chunk + b"\x00" * (-len(chunk) % 4)
