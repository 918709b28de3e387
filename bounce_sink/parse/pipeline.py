"""Placeholder pipeline; replaced by the real one (RFC 3464, MTA formats, fallback)."""

from __future__ import annotations

from bounce_sink.parse.report import Report


def parse_bytes(raw: bytes) -> Report:
    return Report(error="parser not implemented yet")
