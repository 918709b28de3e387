"""Accepting DSNs over SMTP and LMTP: check, store, answer."""

from bounce_sink.smtp.server import bound_port, start_lmtp_server, start_smtp_server

__all__ = ["bound_port", "start_lmtp_server", "start_smtp_server"]
