"""Reading returned messages: bytes in, `Report` out. Never touches the database."""

from bounce_sink.parse.report import RecipientStatus, Report, ReportKind

__all__ = ["RecipientStatus", "Report", "ReportKind", "parse_message"]


def parse_message(raw: bytes) -> Report:
    """Read one message. Never raises: a failure is a Report with `error` set."""
    from bounce_sink.parse.pipeline import parse_bytes

    return parse_bytes(raw)
