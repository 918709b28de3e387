"""Complaint reports: RFC 5965 ARF and the feedback loops that predate it.

A complaint names the person who complained about our mail, not a failed
delivery: the recipient carries no action and classify/ records it as
`feedback` with the report's Feedback-Type.
"""

from __future__ import annotations

import re

from bounce_sink.parse.addresses import clean_address, find_addresses
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.prose import has_case_twin
from bounce_sink.parse.report import RecipientStatus
from bounce_sink.parse.rfc3464 import read_fields
from bounce_sink.parse.text_decoding import decode_header_value, part_text, payload_of

# Searched for only in texts that hold "feedback-type:" (has_text_report), so
# compiled on first use (through re's cache).
_TEXT_REPORT = r"(?im)^feedback-type:[ \t]*[\w-]+[ \t]*$(?=[\s\S]*^(?:user-agent|version):)"


def has_text_report(text: str, lower: str | None = None) -> bool:
    """Whether the first 4000 characters hold complaint report fields as plain text.

    Nearly no bounce does; a lower-case text without "feedback-type:" cannot
    match, and that test is much cheaper than the multi-line search.
    (IGNORECASE also equates the Kelvin sign with k: a head holding a case
    twin of an ASCII letter, `has_case_twin`, is searched.)
    tests/unit/parse/test_parse_shortcuts.py holds both ways equal. `lower`,
    when given, is `text.lower()`: its start is the lower case of an ASCII head.
    """
    if lower is not None:
        # The same tests without copying the head twice: an ASCII text (a
        # flag, not a scan) has an ASCII head, and the word lies in the head's
        # lower case where a find that ends at 4000 finds it.
        if (text.isascii() or not has_case_twin(text[:4000])) and lower.find(
            "feedback-type:", 0, 4000
        ) < 0:
            return False
        return re.search(_TEXT_REPORT, text[:4000]) is not None
    head = text[:4000]
    if (head.isascii() or not has_case_twin(head)) and "feedback-type:" not in head.lower():
        return False
    return re.search(_TEXT_REPORT, head) is not None


def is_complaint(view: MessageView) -> bool:
    if view.report_type == "feedback-report" or view.parts_of_type("message/feedback-report"):
        return True
    # Some feedback loops send the report fields as plain text.
    if has_text_report(view.body_text, view.body_text_lower):
        return True
    # Apple Mail's one-click unsubscribe arrives as a plain message with this header.
    if view.header("x-apple-unsubscribe").lower() == "true":
        return True
    # Microsoft's JMRP forwards the complained-about message with this header inside.
    # (A raw value is true where `Message.get`'s is: Header objects are always true.)
    return bool(view.original_fields.get("x-hmxmroriginalrecipient"))


def read_complaint(view: MessageView) -> tuple[str, list[RecipientStatus]]:
    """(feedback type, complained-about recipients)."""
    fields: dict[str, list[str]] = {}
    for part in view.parts_of_type("message/feedback-report"):
        payload = payload_of(part)
        if isinstance(payload, list):
            for block in payload:
                for k, v in block.raw_items():
                    fields.setdefault(k.lower(), []).append(decode_header_value(v))
                rest = payload_of(block)
                if isinstance(rest, str):
                    _collect(rest, fields)
        else:
            _collect(part_text(part, view.limits.max_text_chars), fields)
    if not fields and has_text_report(view.body_text):
        _collect(view.body_text[:20000], fields)
    feedback_type = (fields.get("feedback-type") or [""])[0].strip().lower()
    addresses = [clean_address(v) for v in fields.get("original-rcpt-to", [])]
    addresses += [clean_address(v) for v in fields.get("removal-recipient", [])]
    original = view.original
    if not feedback_type:
        if view.header("x-apple-unsubscribe").lower() == "true":
            feedback_type = "opt-out"
        else:
            feedback_type = "abuse"
    if not addresses and original is not None:
        jmrp = original.get("x-hmxmroriginalrecipient")
        if jmrp:
            addresses = [clean_address(decode_header_value(jmrp))]
        else:
            addresses = find_addresses(decode_header_value(original.get("to", "")))
    if not addresses and view.header("x-apple-unsubscribe").lower() == "true":
        addresses = find_addresses(view.from_)
    seen: set[str] = set()
    out: list[RecipientStatus] = []
    for addr in addresses:
        if "@" not in addr or addr.lower() in seen:
            continue
        seen.add(addr.lower())
        out.append(RecipientStatus(address=addr, action=""))
    return feedback_type, out


def _collect(text: str, fields: dict[str, list[str]]) -> None:
    ds = read_fields(text)
    for k, v in ds.per_message.items():
        fields.setdefault(k, []).append(v)
    # read_fields keeps one value per name; Original-Rcpt-To may repeat.
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() in ("original-rcpt-to", "removal-recipient"):
            fields.setdefault(name.strip().lower(), []).append(value.strip())
