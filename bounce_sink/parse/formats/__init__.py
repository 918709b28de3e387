"""The ordered registry of non-standard bounce formats, most specific first."""

from __future__ import annotations

from bounce_sink.parse.formats.base import BounceFormat

REGISTRY: tuple[BounceFormat, ...] = ()

__all__ = ["REGISTRY", "BounceFormat"]
