"""Last resort: flufl.bounce's detectors for bounces nothing else could read.

They find addresses, not reasons; every recipient found here is marked
`heuristic` so classification never calls it hard.
"""

from __future__ import annotations

from email.message import Message

from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.text_decoding import decode_bytes

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
    _decode_text_parts(message)
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


def _decode_text_parts(message: Message) -> None:
    """Text parts decoded in place from base64 or quoted-printable.

    flufl.bounce's detectors read each part's payload as it came (their line
    iterator does not decode): a notice sent base64 or quoted-printable, as
    Exchange and webmail often send theirs, showed them no words at all. The
    tree is the pipeline's own copy, made for this call.
    """
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
        if encoding not in ("base64", "quoted-printable"):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        del part["content-transfer-encoding"]
        part.set_payload(decode_bytes(data, part.get_content_charset()))


def _text(item: object) -> str:
    if isinstance(item, bytes):
        return item.decode("utf-8", errors="replace")
    return str(item)
