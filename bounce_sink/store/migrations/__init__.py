"""Alembic environment and revisions, shipped inside the package so `db upgrade` needs no files."""
