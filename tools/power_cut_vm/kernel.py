"""Debian's own kernel, unpacked (never installed), for a virtual machine whose power we can cut.

A process kill leaves the host's page cache intact, so it cannot show that a
message was on disk before the sink said 250: only losing the guest kernel's
memory can. The guest needs a kernel with virtio, 9p (to see the host's
files, Python and the checkout included) and ext4 (the disk the sink writes);
Debian's generic kernel has them as modules. The labs' fetch-and-unpack
(mta_lab.debs) brings the package that ``linux-image-amd64`` currently
names into a cache, and the modules' own ``depends=`` fields give the order to load them
in, since an unpacked package has no modules.dep.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from mta_lab.debs import UnpackError, unpacked_packages

DEFAULT_CACHE = Path(os.environ.get("POWER_CUT_VM_CACHE", "/var/cache/bounce-sink/power-cut-vm"))
META_PACKAGE = "linux-image-amd64"

# What the guest's init loads, each after the modules it depends on.
WANTED_MODULES = (
    "virtio_pci",
    "virtio_blk",
    "virtio_net",
    "9pnet_virtio",
    "9p",
    "crc32c_generic",  # ext4 checksums its metadata with the crypto API's crc32c
    "ext4",
)


class KernelError(RuntimeError):
    """The kernel could not be fetched or its modules resolved; the message says why."""


class Kernel:
    """An unpacked kernel package: the image to boot and its module tree."""

    def __init__(self, root: Path) -> None:
        images = sorted((root / "boot").glob("vmlinuz-*"))
        if not images:
            raise KernelError(f"no boot/vmlinuz-* under {root}")
        self.image = images[-1]
        self.version = self.image.name.removeprefix("vmlinuz-")
        self.modules = root / "lib" / "modules" / self.version / "kernel"
        self._paths = {_module_name(p): p for p in self.modules.rglob("*.ko")}

    def load_order(self, wanted: tuple[str, ...] = WANTED_MODULES) -> list[Path]:
        """The module files to insmod, dependencies first, each once."""
        order: list[Path] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            path = self._paths.get(name)
            if path is None:
                raise KernelError(f"kernel {self.version} has no module {name}")
            for dependency in _depends(path):
                visit(dependency)
            order.append(path)

        for name in wanted:
            visit(name)
        return order


def _module_name(path: Path) -> str:
    # The kernel treats - and _ in module names alike; depends= uses _.
    return path.name.removesuffix(".ko").replace("-", "_")


def _depends(path: Path) -> list[str]:
    found = re.search(rb"\x00depends=([^\x00]*)\x00", path.read_bytes())
    if found is None or not found.group(1):
        return []
    return [name.replace("-", "_") for name in found.group(1).decode().split(",")]


def _package_name() -> str:
    """The versioned image package the meta package depends on today."""
    shown = subprocess.run(
        ["apt-cache", "depends", META_PACKAGE], capture_output=True, text=True, check=False
    )
    names: list[str] = re.findall(r"Depends: (linux-image-\S+)", shown.stdout)
    if shown.returncode != 0 or not names:
        raise KernelError(
            f"apt-cache depends {META_PACKAGE} named no image package "
            f"(run apt-get update?): {shown.stderr.strip()}"
        )
    return names[0]


def unpacked_kernel(cache: Path = DEFAULT_CACHE) -> Kernel:
    """The cached kernel, downloading and unpacking it on first use (~70 MB)."""
    root = cache / "root"
    if not (root / "boot").is_dir():
        try:
            unpacked_packages(cache, [_package_name()], "boot")
        except UnpackError as exc:
            raise KernelError(str(exc)) from exc
    return Kernel(root)
