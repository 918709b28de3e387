"""The ordered registry of non-standard bounce formats, most specific first.

Order matters: a specific format's cheap header check runs before the
generic reader, and the generic reader runs last.
"""

from __future__ import annotations

from bounce_sink.parse.formats.base import BounceFormat
from bounce_sink.parse.formats.generic import GenericTextBounce

REGISTRY: tuple[BounceFormat, ...] = (
    GenericTextBounce(),
)

__all__ = ["REGISTRY", "BounceFormat"]
