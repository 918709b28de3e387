"""The store remembers: raw messages first, then everything decided about them.

Public surface: `migrate.upgrade(url)` (schema, used by `serve` and tests),
`messages.store_message` / `GroupCommitWriter` (intake's durable write),
`db.make_engine` / `make_sessionmaker`, and the tables in `models`. Schema
changes: edit models.py, then `python -m bounce_sink.store.regenerate_migration`.
"""
