"""One loopback server that is both the recipients' mail server and our bounce mailbox.

A relay-only MTA (dma and nullmailer with their one smarthost) sends every
message to one host and port, the bounces it writes included.  So the lab's
server must tell them apart: mail for the newsletter's Return-Path is a
bounce and is kept as it arrived (``MessageCapture``); everything else meets
the scripted refusals (``ScriptedReceiver``).
"""

from __future__ import annotations

from typing import Any

from mta_lab.newsletter import RETURN_PATH
from mta_lab.servers import ACCEPTED, MessageCapture, ScriptedReceiver


class Switchboard:
    """One SMTP server for both ends of a relay-only MTA's deliveries, which all go to one port.

    Mail for the bounce address is kept by ``capture``; everything else meets
    ``receiver``'s scripted replies.  ``mail_reply``, while set, refuses the
    envelope sender of every message but a bounce (whose sender is null).
    """

    def __init__(self, receiver: ScriptedReceiver, capture: MessageCapture) -> None:
        self.receiver = receiver
        self.capture = capture
        self.mail_reply: str | None = None

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if self.mail_reply is not None and address not in ("", "<>"):
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() == RETURN_PATH:
            envelope.rcpt_tos.append(address)
            return ACCEPTED
        return await self.receiver.handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if RETURN_PATH in (address.lower() for address in envelope.rcpt_tos):
            return await self.capture.handle_DATA(server, session, envelope)
        return await self.receiver.handle_DATA(server, session, envelope)
