"""The shape every non-standard bounce reader has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus


class BounceFormat(Protocol):
    """One sending MTA's or service's own bounce format.

    `matches` looks only at decoded top-level headers (From, Subject,
    X-headers) so the registry can skip a format cheaply; `parse` returns the
    recipients it read, or None when the message is not of this format after
    all. A format may also have a `gate` (formats/dispatch.py: what its
    `matches` reads), so that the registry asks it only on messages whose
    header fields hold the words its test needs.
    """

    @property
    def name(self) -> str:
        """Stable format name, reported as `Report.format`."""

    def matches(self, headers: Mapping[str, str]) -> bool: ...

    def parse(self, view: MessageView) -> list[RecipientStatus] | None: ...
