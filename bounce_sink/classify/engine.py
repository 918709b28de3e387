"""Placeholder; replaced by the ordered rule table."""

from __future__ import annotations

from bounce_sink.classify.taxonomy import Classification, code_of, severity_of, side_of
from bounce_sink.parse.report import RecipientStatus, Report


def classify(recipient: RecipientStatus, report: Report) -> Classification:
    reason = "undefined"
    sev = severity_of(reason, recipient.action, recipient.status, recipient.reply_code, recipient.heuristic)
    return Classification(reason, side_of(reason), sev, code_of(reason, sev), "placeholder")
