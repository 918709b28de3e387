"""Bounds on how much of one message the parser looks at.

A bounce mailbox receives whatever anyone sends to it, so parsing must stay
cheap on hostile input: the stdlib parser is given at most `max_bytes`, the
walk over parts stops at a depth and a count, and header blocks are cut. A
truncated message is still parsed; the delivery report comes before the
returned original in every format seen, so the cut costs nothing useful.
"""

from __future__ import annotations

from typing import NamedTuple


class Limits(NamedTuple):
    """Immutable, built by keyword (`Limits(max_parts=50)`), compared by value.

    A named tuple rather than a frozen dataclass: defining that class cost
    ~1 ms at every start of the command (dataclass generates and compiles
    its methods), this one ~0.2 ms, and reading a field is no slower.
    """

    max_bytes: int = 1 << 20  # bytes handed to the MIME parser
    max_depth: int = 12  # nesting of multiparts / message parts walked
    max_parts: int = 400  # parts visited in one message
    max_header_bytes: int = 64 << 10  # one header section
    max_text_chars: int = 256 << 10  # text of one part looked at by the prose readers
    max_recipients: int = 500  # recipients reported from one message


DEFAULT_LIMITS = Limits()
