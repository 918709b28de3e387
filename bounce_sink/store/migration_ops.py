"""Foreign keys that close a cycle (person/contact -> interaction -> contact), in migrations.

models.py marks them `use_alter=True`. SQLite writes them inline in CREATE
TABLE (it cannot add a constraint later); PostgreSQL leaves them out of CREATE
TABLE and needs an ALTER TABLE once every table exists. Autogenerate knows
neither, so `regenerate_migration` adds a call to the functions below after
the tables are created (and before they are dropped).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alembic.autogenerate import renderers
from alembic.autogenerate.api import AutogenContext
from alembic.operations import ops
from sqlalchemy import ForeignKeyConstraint


def _needs_alter() -> bool:
    from alembic import op

    return bool(op.get_bind().dialect.name != "sqlite")


def add_deferred_foreign_key(
    name: str, source: str, referent: str, local: Sequence[str], remote: Sequence[str]
) -> None:
    """Create a use_alter foreign key where the dialect did not make it with the table."""
    from alembic import op

    if _needs_alter():
        op.create_foreign_key(name, source, referent, list(local), list(remote))


def drop_deferred_foreign_key(name: str, source: str) -> None:
    """Drop it first on downgrade, so the tables of the cycle can be dropped."""
    from alembic import op

    if _needs_alter():
        op.drop_constraint(name, source, type_="foreignkey")


class DeferredForeignKeyOp(ops.MigrateOperation):
    """Autogenerate-only: renders a call to add/drop_deferred_foreign_key."""

    def __init__(
        self, name: str, source: str, referent: str, local: list[str], remote: list[str], drop: bool
    ) -> None:
        self.name = name
        self.source = source
        self.referent = referent
        self.local = local
        self.remote = remote
        self.drop = drop

    def reverse(self) -> DeferredForeignKeyOp:
        return DeferredForeignKeyOp(
            self.name, self.source, self.referent, self.local, self.remote, not self.drop
        )


@renderers.dispatch_for(DeferredForeignKeyOp)
def _render(autogen_context: AutogenContext, op: DeferredForeignKeyOp) -> str:
    autogen_context.imports.add("from bounce_sink.store import migration_ops")
    if op.drop:
        return f"migration_ops.drop_deferred_foreign_key({op.name!r}, {op.source!r})"
    return (
        f"migration_ops.add_deferred_foreign_key({op.name!r}, {op.source!r}, {op.referent!r}, "
        f"{op.local!r}, {op.remote!r})"
    )


def _deferred(fk: ForeignKeyConstraint, source: str) -> DeferredForeignKeyOp:
    targets = [element.target_fullname.split(".") for element in fk.elements]
    referent = targets[0][-2]
    if fk.name is None or not isinstance(fk.name, str):
        raise ValueError(f"use_alter foreign key on {source} needs a name")
    return DeferredForeignKeyOp(
        fk.name, source, referent, list(fk.column_keys), [t[-1] for t in targets], drop=False
    )


def add_deferred_foreign_keys(
    _context: Any, _revision: Any, directives: list[ops.MigrationScript]
) -> None:
    """`process_revision_directives` hook: append the cycle-closing keys to a new revision."""
    for script in directives:
        for upgrade_ops, downgrade_ops in zip(
            script.upgrade_ops_list, script.downgrade_ops_list, strict=True
        ):
            found = [
                _deferred(item, op.table_name)
                for op in upgrade_ops.ops
                if isinstance(op, ops.CreateTableOp)
                for item in op.columns
                if isinstance(item, ForeignKeyConstraint) and item.use_alter
            ]
            upgrade_ops.ops.extend(found)
            downgrade_ops.ops[:0] = [f.reverse() for f in found]
