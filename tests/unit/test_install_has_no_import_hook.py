"""The installed package starts without an import hook (pyproject's package-dir).

setuptools gives a flat-layout editable install a meta-path finder that every
start of `bounce-sink` imported (~10 ms, with pathlib): a twentieth of a
`parse --json` run over the corpus. With the packages' root spelt out it
writes a plain .pth line instead; a regular install never had a hook.
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_package_loads_no_editable_finder() -> None:
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import bounce_sink"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()]
    assert "bounce_sink" in imported
    assert not [name for name in imported if name.startswith("__editable__")], imported
