"""Rewrite revision 0001 from models.py: `python -m bounce_sink.store.regenerate_migration`.

Nothing has shipped yet, so the schema has exactly one revision and it is
generated, never edited by hand. Once a release ships, this module stops being
used and new revisions are added on top of 0001 with `alembic revision`.
`tests/unit/store/test_migration_matches_models.py` fails until it is re-run
after a model change.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from bounce_sink.store.migrate import MIGRATIONS_DIR, alembic_config

REVISION_ID = "0001"
MESSAGE = "initial schema"


def regenerate() -> Path:
    """Delete the old 0001, autogenerate a new one against an empty SQLite, format it."""
    versions = MIGRATIONS_DIR / "versions"
    for old in versions.glob(f"rev_{REVISION_ID}_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'empty.db'}"
        command.revision(
            alembic_config(url), message=MESSAGE, autogenerate=True, rev_id=REVISION_ID
        )
    (path,) = versions.glob(f"rev_{REVISION_ID}_*.py")
    # Generated code follows the project's lint and format rules like the rest.
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--fix", "--quiet", str(path)], check=False
    )
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(path)], check=False)
    return path


def main() -> None:
    path = regenerate()
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
