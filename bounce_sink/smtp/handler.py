"""The intake handler: check the recipient, store the bytes, answer. Nothing else.

Parsing and policy happen after the answer (processing.py), so a slow or
broken parser can never make a reporting MTA wait, time out or drop a DSN.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bounce_sink.smtp import replies
from bounce_sink.smtp.recipients import RecipientPolicy
from bounce_sink.store.messages import Envelope, GroupCommitWriter

log = structlog.get_logger("bounce_sink.smtp")

OnStored = Callable[[int], None]


def peer_text(peer: Any) -> str:
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer or "")


class IntakeHandler:
    """aiosmtpd handler shared by the SMTP and LMTP servers.

    `lmtp=True` answers DATA once per accepted recipient (RFC 2033). The
    message is stored once for all recipients, so every line is the same.
    """

    def __init__(
        self,
        recipients: RecipientPolicy,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        store_limit: int,
        lmtp: bool = False,
        on_stored: OnStored | None = None,
        writer: GroupCommitWriter | None = None,
    ) -> None:
        self._recipients = recipients
        self._writer = writer or GroupCommitWriter(sessionmaker, store_limit=store_limit)
        self._lmtp = lmtp
        self._on_stored = on_stored

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self._recipients.check(address) is None:
            log.info("rcpt_refused", peer=peer_text(session.peer), rcpt=address)
            return replies.RELAY_DENIED
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return replies.RCPT_OK

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content or b""
        peer = peer_text(session.peer)
        source = "lmtp" if self._lmtp else "smtp"
        meta = Envelope(
            source=source,
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            peer=peer,
            helo=session.host_name or "",
            received_at=datetime.now(UTC),
        )
        try:
            message_id = await self._writer.store(raw, meta)
        except Exception as exc:
            log.error(
                "message_not_stored",
                source=source,
                peer=peer,
                size=len(raw),
                outcome="451",
                error=f"{type(exc).__name__}: {exc}",
            )
            return self._per_recipient(replies.STORE_FAILED, envelope)
        log.info(
            "message_stored",
            message_id=message_id,
            source=source,
            peer=peer,
            size=len(raw),
            mail_from=meta.mail_from,
            rcpt_tos=list(meta.rcpt_tos),
            outcome="250",
        )
        if self._on_stored is not None:
            self._on_stored(message_id)
        return self._per_recipient(replies.STORED.format(message_id=message_id), envelope)

    def _per_recipient(self, reply: str, envelope: Any) -> str:
        if not self._lmtp:
            return reply
        return "\r\n".join([reply] * max(1, len(envelope.rcpt_tos)))
