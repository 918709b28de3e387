"""A smarthost that turns the lab's MTA away at the greeting, as a sendmail access map does.

The refusal is written by a bare socket server, not aiosmtpd: the reply must
be the first line the MTA reads, and the connection closed after it.
"""

from __future__ import annotations

import socket
import threading


class RefusingGreeter:
    """A smarthost that refuses the first connection at its greeting.

    Every later connection is told ``421`` (not now), so the bounce that the
    MTA writes at once stays in its queue instead of being refused here too;
    the lab then sends it on through its own server (dma's
    ``send_rerouted``, nullmailer's ``send_alone``).
    """

    LATER = b"421 4.3.2 Service not available, closing transmission channel\r\n"

    def __init__(self, refusal: str) -> None:
        self.refusal = refusal.encode() + b"\r\n"
        self.connections = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)  # so that close() is seen without a connection
        self.port: int = self._sock.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="refusing-greeter", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:  # closed right after the greeting: the MTA reads the line first
                self.connections += 1
                conn.sendall(self.refusal if self.connections == 1 else self.LATER)

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._sock.close()
