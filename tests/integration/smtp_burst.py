"""A burst of numbered messages over SMTP, for the tests that cut the sink off mid-burst.

Each sender records a message's number only after its 250, so the list is
exactly what the sink promised to keep; the message that was in flight when
the sink died is not in it.
"""

from __future__ import annotations

import re
import smtplib
import threading

SEQ_HEADER = re.compile(rb"X-Seq: (\d+)")


def send_until_stopped(
    port: int, worker: int, acked: list[int], stop: threading.Event, timeout: float = 10
) -> None:
    """Send messages numbered from worker * 100000 on one connection until `stop` or an error."""
    seq = worker * 100000
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=timeout) as client:
            while not stop.is_set():
                seq += 1
                body = f"Subject: burst {seq}\r\nX-Seq: {seq}\r\n\r\nreturned\r\n".encode()
                client.sendmail("", ["bounces@localhost"], body)
                acked.append(seq)  # only after the 250
    except (smtplib.SMTPException, OSError):
        pass  # the sink died under us: that message was not acknowledged


def sequence_numbers(raws: list[bytes]) -> set[int]:
    """The numbers of the burst's messages among stored raw messages."""
    return {int(m.group(1)) for raw in raws if (m := SEQ_HEADER.search(raw))}
