"""The labs' stand-in for DNS: some names do not exist, the rest cannot be looked up now.

An MTA that looks a domain up itself (dma without a smarthost, chasquid,
Haraka, nullmailer's smarthost name) is given, in its private resolv.conf,
this server, which answers a query for one of the ``missing`` names with
NXDOMAIN, as the Internet answers for a domain that does not exist, and
every other query with SERVFAIL, a temporary failure: the MTA then keeps
what it cannot route (dma: the bounce about the missing domain) queued
instead of sending it anywhere.  So "the domain does not exist" is a real
lookup that the MTA makes, yet nothing leaves the machine and no public DNS
data is relied on.

Only what a stub resolver sends is understood: one question over UDP.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterable

FORMERR, SERVFAIL, NXDOMAIN = 1, 2, 3
_RESPONSE, _RECURSION_DESIRED, _RECURSION_AVAILABLE = 0x8000, 0x0100, 0x0080


def _question(query: bytes) -> tuple[str, int] | None:
    """The queried name (lowercase, no final dot) and where the question ends."""
    labels: list[str] = []
    at = 12
    while at < len(query):
        length = query[at]
        if length == 0:
            end = at + 5  # the root label, then QTYPE and QCLASS
            return (".".join(labels).lower(), end) if end <= len(query) else None
        if length & 0xC0:  # no compression in a question a resolver writes
            return None
        labels.append(query[at + 1 : at + 1 + length].decode("ascii", "replace"))
        at += 1 + length
    return None


def answer(query: bytes, missing: frozenset[str]) -> bytes | None:
    """The reply to one query: NXDOMAIN for a missing name, else SERVFAIL.

    None for something that is not a query at all (too short, or a response).
    """
    if len(query) < 12:
        return None
    ident, flags, qdcount = struct.unpack("!HHH", query[:6])
    if flags & _RESPONSE:
        return None
    asked = _question(query) if qdcount == 1 else None
    flags_out = _RESPONSE | (flags & _RECURSION_DESIRED) | _RECURSION_AVAILABLE
    if asked is None:
        return struct.pack("!HHHHHH", ident, flags_out | FORMERR, 0, 0, 0, 0)
    name, end = asked
    rcode = NXDOMAIN if name in missing else SERVFAIL
    return struct.pack("!HHHHHH", ident, flags_out | rcode, 1, 0, 0, 0) + query[12:end]


class StubNameserver:
    """A UDP server on ``address`` port 53 in a thread; ``close()`` ends it."""

    def __init__(self, address: str, missing: Iterable[str]) -> None:
        self.address = address
        self.missing = frozenset(name.lower().rstrip(".") for name in missing)
        self.queries: list[str] = []  # names asked, for the error message of a failed run
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((address, 53))
        self._sock.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="stub-nameserver", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                query, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            asked = _question(query)
            if asked is not None:
                self.queries.append(asked[0])
            reply = answer(query, self.missing)
            if reply is not None:
                self._sock.sendto(reply, peer)

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2)
        self._sock.close()
