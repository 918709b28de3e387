"""A QEMU guest that runs one command against an ext4 disk, and whose power can be cut.

Cutting the power is SIGKILL to QEMU: the guest kernel's memory, its page
cache with any write not yet flushed among it, is gone at once, while what
the guest flushed has reached the image file (QEMU's writeback cache turns
a guest flush into an fdatasync of the image). That is the failure a sink
must survive to keep its promise that a 250 means stored. The guest's only
network is QEMU's user-mode stack with ``restrict=on``: it reaches nothing,
and one host port on 127.0.0.1 is forwarded to the guest's `guest_port`.
QEMU runs its emulator (TCG), never KVM: on a machine that is itself a
virtual machine, /dev/kvm may exist and open yet hang the guest at boot
(seen here), and the emulator is fast enough (boot ~10 s, the sink up ~15 s
later) while behaving the same everywhere.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from power_cut_vm.disk import make_disk
from power_cut_vm.initramfs import READY, write_initramfs
from power_cut_vm.kernel import Kernel

QEMU = "qemu-system-x86_64"


class MachineError(RuntimeError):
    """The guest did not start or did not get where it was asked to; the message says why."""


class PowerCutMachine:
    """One guest: `start` boots it (making the disk on first boot), `cut_power` ends it."""

    def __init__(
        self,
        workdir: Path,
        kernel: Kernel,
        command: Sequence[str],
        env: Mapping[str, str],
        host_port: int,
        guest_port: int,
        memory_mb: int = 768,
    ) -> None:
        self.workdir = workdir
        self.kernel = kernel
        self.command = list(command)
        self.env = dict(env)
        self.host_port = host_port
        self.guest_port = guest_port
        self.memory_mb = memory_mb
        self.disk = workdir / "disk.img"
        self.console = workdir / "console.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if shutil.which(QEMU) is None:
            raise MachineError(f"{QEMU} is missing: apt-get install qemu-system-x86")
        if not self.disk.exists():
            make_disk(self.disk)
        initrd = write_initramfs(
            self.workdir / "initramfs.cpio", self.kernel.load_order(), self.command, self.env
        )
        self.console.write_bytes(b"")
        argv = [
            QEMU,
            "-accel", "tcg",  # not KVM: see the module docstring
            "-cpu", "max", "-m", str(self.memory_mb), "-smp", "1",
            "-nodefaults", "-display", "none", "-no-reboot",
            "-kernel", str(self.kernel.image), "-initrd", str(initrd),
            "-append", "console=ttyS0 panic=-1 rdinit=/init loglevel=4",
            "-serial", f"file:{self.console}",
            "-fsdev", "local,id=hostroot,path=/,security_model=none,readonly=on",
            "-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
            "-drive", f"file={self.disk},format=raw,if=virtio,cache=writeback",
            "-netdev", f"user,id=net,restrict=on,hostfwd=tcp:127.0.0.1:{self.host_port}-:{self.guest_port}",
            "-device", "virtio-net-pci,netdev=net",
        ]  # fmt: skip
        self._process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.wait_for(READY, timeout=120)

    def console_text(self) -> str:
        return self.console.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float) -> None:
        """Wait until the guest's console shows `text`; fail with its console if it never does."""
        deadline = time.monotonic() + timeout
        while text not in self.console_text():
            if self._process is None or self._process.poll() is not None:
                raise MachineError(f"the guest stopped before {text!r}:\n{self._tail()}")
            if time.monotonic() > deadline:
                raise MachineError(f"no {text!r} after {timeout:.0f} s:\n{self._tail()}")
            time.sleep(0.1)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def cut_power(self) -> None:
        """SIGKILL QEMU: no guest code runs after this, and nothing unflushed survives."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=30)
        self._process = None

    def _tail(self, lines: int = 40) -> str:
        qemu = ""
        if self._process is not None and self._process.poll() is not None and self._process.stdout:
            qemu = self._process.stdout.read().decode(errors="replace")
        return "\n".join(self.console_text().splitlines()[-lines:]) + (
            f"\nqemu: {qemu}" if qemu else ""
        )
