"""The `parse --json` line of DESIGN.md's contract, built from a Report."""

from __future__ import annotations

from typing import Any

# The engine itself rather than `classify_recipient`, which imports it on
# every call (this module is imported only once a file is being parsed).
from bounce_sink.classify.engine import classify_all
from bounce_sink.parse.report import Report


def report_to_json(file: str, report: Report) -> dict[str, Any]:
    recipients: list[dict[str, Any]] = []
    bounce = False
    # Several recipients are classified together: those with the same
    # evidence share one decision (`classify_all`, which takes a lone
    # recipient straight to `classify`).
    for r, c in zip(report.recipients, classify_all(report), strict=True):
        if c.severity in ("hard", "soft"):
            bounce = True
        item: dict[str, Any] = {
            "address": r.address,
            "action": r.action,
            "status": r.status,
            "reply_code": r.reply_code,
            "diagnostic": r.diagnostic,
            "remote_mta": r.remote_mta,
            "reason": c.reason,
            "side": c.side,
            "severity": c.severity,
            "code": c.code,
            "rule": c.rule,
        }
        if r.original_recipient:
            item["original_recipient"] = r.original_recipient
        if r.new_address:
            item["new_address"] = r.new_address
        if r.heuristic:
            item["heuristic"] = True
        recipients.append(item)
    out: dict[str, Any] = {
        "file": file,
        "bounce": bounce,
        "kind": report.kind,
        "format": report.format,
        "recipients": recipients,
    }
    if report.feedback_type:
        out["feedback_type"] = report.feedback_type
    if report.envelope_id:
        out["envelope_id"] = report.envelope_id
    if report.original_message_id:
        out["original_message_id"] = report.original_message_id
    if report.error:
        out["error"] = report.error
    return out
