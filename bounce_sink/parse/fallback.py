"""Last resort: flufl.bounce's detectors for bounces nothing else could read.

They find addresses, not reasons; every recipient found here is marked
`heuristic` so classification never calls it hard.
"""

from __future__ import annotations

from email.message import Message

from bounce_sink.parse.report import RecipientStatus

_quieted = False


def _quiet_flufl() -> None:
    """Let through only flufl.bounce's own critical errors, before flufl first runs.

    flufl.bounce catches its own detectors' exceptions on odd input and logs
    each with a full traceback (seen by the thousand under the fuzzer). They
    are not actionable for an admin and not structured; the message itself is
    kept and shown. Done here, not at import: `logging` costs ~4-5 ms to
    import, and a run whose messages all find a reader never needs flufl.
    """
    global _quieted
    if not _quieted:
        import logging

        logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)
        _quieted = True


def guess_recipients(message: Message) -> list[RecipientStatus]:
    _quiet_flufl()
    try:
        from flufl.bounce import all_failures
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    try:
        # flufl.bounce answers (temporary, permanent): a warning read as a
        # failure would count against a reachable person, and a failure read
        # as a warning would never count.
        temporary, permanent = all_failures(message)
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
