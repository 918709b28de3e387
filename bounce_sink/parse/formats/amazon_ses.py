"""Amazon SES: its bounce DSNs and its JSON notifications (SNS over e-mail).

SES delivers Bounce, Complaint and Delivery notifications as a JSON
document, either bare or wrapped in an SNS envelope whose "Message" holds
the JSON as a string. Mail relays fold the long JSON line; a fold shows up
as "!" + newline + space inside a string (Sendmail's cut for over-long
lines), which is undone before decoding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bounce_sink.parse.formats.dispatch import HeaderGate, Present, Searched
from bounce_sink.parse.formats.lazy_pattern import LazyPattern
from bounce_sink.parse.message_view import MessageView
from bounce_sink.parse.report import RecipientStatus, ReportKind
from bounce_sink.parse.smtp_codes import (
    clean_diagnostic,
    find_reply_code,
    find_status,
    strip_type_prefix,
)

_FROM = LazyPattern(r"@(?:sns\.amazonaws\.com|amazonses\.com|.*\.amazonses\.com)\b", re.I)


def _load(text: str) -> dict[str, Any] | None:
    start = text.find("{")
    if start < 0:
        return None
    body = text[start : text.rfind("}") + 1]
    for candidate in (body, re.sub(r"!\r?\n ", "", body), re.sub(r"\r?\n ", "", body)):
        try:
            doc = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(doc, dict):
            inner = doc.get("Message")
            if isinstance(inner, str) and inner.lstrip().startswith("{"):
                try:
                    nested = json.loads(inner)
                except ValueError:
                    return None
                return nested if isinstance(nested, dict) else None
            return doc
    return None


def _recipient_from_bounce(item: Mapping[str, Any], bounce_type: str) -> RecipientStatus | None:
    addr = item.get("emailAddress")
    if not isinstance(addr, str):
        return None
    diagnostic = clean_diagnostic(strip_type_prefix(str(item.get("diagnosticCode") or "")))
    status = str(item.get("status") or "") or find_status(diagnostic)
    if not status:
        status = "4.0.0" if bounce_type == "Transient" else "5.0.0"
    action = str(item.get("action") or "failed").lower()
    return RecipientStatus(
        address=addr,
        action=action,
        status=status,
        reply_code=find_reply_code(diagnostic),
        diagnostic=diagnostic,
    )


class AmazonSESNotification:
    """SES JSON notifications (Bounce, Delivery, Complaint)."""

    name = "amazonses"
    gate = HeaderGate(
        (Present("x-amz-sns-message-id"), Searched("from", _FROM), Present("x-ses-outgoing"))
    )

    def matches(self, headers: Mapping[str, str]) -> bool:
        return bool(
            "x-amz-sns-message-id" in headers
            or _FROM.search(headers.get("from", "")) is not None
            or "x-ses-outgoing" in headers
        )

    def read(self, view: MessageView) -> dict[str, Any] | None:
        text = view.body_text
        if '"notificationType"' not in text and '\\"notificationType\\"' not in text:
            return None
        return _load(text)

    def report_kind(self, view: MessageView) -> tuple[ReportKind, str]:
        doc = self.read(view)
        if doc and doc.get("notificationType") == "Complaint":
            complaint = doc.get("complaint") or {}
            kind = str(complaint.get("complaintFeedbackType") or "abuse")
            return "arf", kind
        return "dsn", ""

    def parse(self, view: MessageView) -> list[RecipientStatus] | None:
        doc = self.read(view)
        if not doc:
            return None
        kind = doc.get("notificationType")
        out: list[RecipientStatus] = []
        if kind == "Bounce":
            bounce = doc.get("bounce") or {}
            for item in bounce.get("bouncedRecipients") or []:
                r = _recipient_from_bounce(item, str(bounce.get("bounceType") or ""))
                if r:
                    r.remote_mta = strip_type_prefix(str(bounce.get("remoteMtaIp") or ""))
                    out.append(r)
        elif kind == "Delivery":
            delivery = doc.get("delivery") or {}
            response = clean_diagnostic(str(delivery.get("smtpResponse") or ""))
            for addr in delivery.get("recipients") or []:
                out.append(
                    RecipientStatus(
                        address=str(addr),
                        action="delivered",
                        status=find_status(response) or "2.0.0",
                        reply_code=find_reply_code(response),
                        diagnostic=response,
                        remote_mta=str(delivery.get("reportingMTA") or ""),
                    )
                )
        elif kind == "Complaint":
            complaint = doc.get("complaint") or {}
            for item in complaint.get("complainedRecipients") or []:
                if isinstance(item, Mapping) and isinstance(item.get("emailAddress"), str):
                    out.append(RecipientStatus(address=item["emailAddress"], action=""))
        return out or None
