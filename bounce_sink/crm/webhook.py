"""The generic webhook adapter: one signed JSON POST per batch.

Body: `{"version": 1, "batch_id": ..., "sent_at": ..., "events": [payload, ...]}`.
Headers: `X-Bounce-Sink-Timestamp` (Unix seconds), `X-Bounce-Sink-Signature:
v1=<hex HMAC-SHA256 of timestamp + "." + body>`, `Idempotency-Key` (the batch:
a hash of its event ids). Each event carries its own `event_id`, the key a
receiver deduplicates on, because a retried event may come back in a
different batch. See docs/crm-sync.md.

Any 2xx accepts the whole batch, except events the receiver lists in a JSON
answer `{"rejected": [{"event_id": ..., "error": ...}]}`: those are dead letters.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog

from bounce_sink.crm.adapter import DeliveryResult, OutboundEvent, Outcome
from bounce_sink.crm.http_status import outcome_for_status, parse_retry_after, short_body
from bounce_sink.crm.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_header,
)

log = structlog.get_logger("bounce_sink.crm.webhook")

BODY_VERSION = 1


def batch_key(batch: Sequence[OutboundEvent]) -> str:
    ids = "\n".join(sorted(e.event_id for e in batch))
    return hashlib.sha256(ids.encode()).hexdigest()[:32]


class WebhookAdapter:
    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        timeout: float = 30.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not url:
            raise ValueError("crm_webhook_url is empty: set it to the receiver's URL")
        if not secret:
            raise ValueError("crm_webhook_secret is empty: the webhook is always signed")
        self.url = url
        self.secret = secret
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    def _body(self, batch: Sequence[OutboundEvent], key: str) -> bytes:
        doc: dict[str, Any] = {
            "version": BODY_VERSION,
            "batch_id": key,
            "sent_at": datetime.now(UTC).isoformat(),
            "events": [e.payload for e in batch],
        }
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()

    async def deliver(self, batch: Sequence[OutboundEvent]) -> list[DeliveryResult]:
        if not batch:
            return []
        key = batch_key(batch)
        body = self._body(batch, key)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "bounce-sink",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature_header(self.secret, timestamp, body),
            IDEMPOTENCY_HEADER: key,
        }
        try:
            response = await self._client.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return [DeliveryResult.retry(e.event_id, f"timeout: {exc!r}") for e in batch]
        except httpx.HTTPError as exc:
            return [DeliveryResult.retry(e.event_id, f"connection error: {exc!r}") for e in batch]
        outcome = outcome_for_status(response.status_code)
        if outcome is Outcome.DELIVERED:
            return self._accepted(batch, response)
        error = f"HTTP {response.status_code}: {short_body(response.text)}"
        if outcome is Outcome.RETRY:
            wait = parse_retry_after(response.headers)
            return [DeliveryResult.retry(e.event_id, error, wait) for e in batch]
        return [DeliveryResult.dead(e.event_id, error) for e in batch]

    def _accepted(
        self, batch: Sequence[OutboundEvent], response: httpx.Response
    ) -> list[DeliveryResult]:
        rejected: dict[str, str] = {}
        if response.headers.get("content-type", "").startswith("application/json"):
            try:
                answer = response.json()
            except ValueError:
                answer = None
            if isinstance(answer, dict) and isinstance(answer.get("rejected"), list):
                for item in answer["rejected"]:
                    if isinstance(item, dict) and isinstance(item.get("event_id"), str):
                        rejected[item["event_id"]] = str(
                            item.get("error") or "rejected by receiver"
                        )
        results = []
        for e in batch:
            if e.event_id in rejected:
                results.append(
                    DeliveryResult.dead(e.event_id, f"receiver rejected: {rejected[e.event_id]}")
                )
            else:
                results.append(DeliveryResult.delivered(e.event_id))
        return results

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
