"""Command-line commands of the crm room, registered explicitly by bounce_sink.cli."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this room's commands to the top-level group."""
