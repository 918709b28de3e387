"""Turning read models into HTML and JSON.

The Jinja environment escapes everything by default: DSNs are written by
strangers, and a diagnostic text, subject or raw source is shown to an admin
exactly as received, as text, never as markup. Nothing here marks a string
safe.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bounce_sink.store.utc import as_utc


def format_time(value: datetime | None) -> str:
    """Always in UTC: SQLite hands back naive datetimes, and the store writes only UTC."""
    if value is None:
        return "—"
    return as_utc(value).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_duration(seconds: float | None) -> str:
    """An age an admin reads at a glance: 42 s, 7 min, 3.5 h, 2.0 d."""
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def address_path(address: str) -> str:
    """An address as one URL path segment: `@` and `+` stay readable, the rest is quoted."""
    return quote(address, safe="@+")


def format_size(value: int | None) -> str:
    if value is None:
        return "—"
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{value} B"


def query_string(params: Mapping[str, Any], **changes: Any) -> str:
    """The current filters with some changed, empty ones dropped, for links."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in ("", None)})


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bounce_sink.admin", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["time"] = format_time
    env.filters["size"] = format_size
    env.filters["address_path"] = address_path
    env.filters["duration"] = format_duration
    env.globals["query_string"] = query_string
    return env


def to_jsonable(value: Any) -> Any:
    """Dataclasses, datetimes and the like as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        # The store writes UTC only; SQLite gives it back without the offset.
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "__dict__"):
        return {k: to_jsonable(v) for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=False)
