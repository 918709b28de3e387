"""Bounds on how much of one message the parser looks at.

A bounce mailbox receives whatever anyone sends to it, so parsing must stay
cheap on hostile input: the stdlib parser is given at most `max_bytes`, the
walk over parts stops at a depth and a count, and header blocks are cut. A
truncated message is still parsed; the delivery report comes before the
returned original in every format seen, so the cut costs nothing useful.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1 << 20  # bytes handed to the MIME parser
    max_depth: int = 12  # nesting of multiparts / message parts walked
    max_parts: int = 400  # parts visited in one message
    max_header_bytes: int = 64 << 10  # one header section
    max_text_chars: int = 256 << 10  # text of one part looked at by the prose readers
    max_recipients: int = 500  # recipients reported from one message


DEFAULT_LIMITS = Limits()
