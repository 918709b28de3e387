"""Deciding: per recipient, evidence -> reason -> severity -> code. Never touches the network."""

from bounce_sink.classify.taxonomy import Classification

__all__ = ["Classification", "classify_recipient"]


def classify_recipient(recipient: "RecipientStatus", report: "Report") -> Classification:
    from bounce_sink.classify.engine import classify

    return classify(recipient, report)


from bounce_sink.parse.report import RecipientStatus, Report  # noqa: E402
