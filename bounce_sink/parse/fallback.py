"""Last resort: flufl.bounce's detectors for bounces nothing else could read.

They find addresses, not reasons; every recipient found here is marked
`heuristic` so classification never calls it hard.
"""

from __future__ import annotations

import logging
from email.message import Message

from bounce_sink.parse.report import RecipientStatus

# flufl.bounce catches its own detectors' exceptions on odd input and logs each
# with a full traceback (seen by the thousand under the fuzzer). They are not
# actionable for an admin and not structured; the message itself is kept and
# shown, so only flufl's own critical errors are let through.
logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)


def guess_recipients(message: Message) -> list[RecipientStatus]:
    try:
        from flufl.bounce import all_failures
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    try:
        permanent, temporary = all_failures(message)
    except Exception:
        return []
    out: list[RecipientStatus] = []
    seen: set[str] = set()
    for found, action in ((permanent, "failed"), (temporary, "delayed")):
        for item in sorted(found, key=_text):
            addr = _text(item).strip("<>")
            if "@" not in addr or addr.lower() in seen:
                continue
            seen.add(addr.lower())
            out.append(RecipientStatus(address=addr, action=action, heuristic=True))
    return out


def _text(item: object) -> str:
    if isinstance(item, bytes):
        return item.decode("utf-8", errors="replace")
    return str(item)
