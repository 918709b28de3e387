"""Microsoft Dynamics 365 / Dataverse adapter, through the Web API as Microsoft documents it.

Per event, with an OAuth2 client-credentials token (Microsoft identity
platform: POST the token URL with grant_type=client_credentials, client_id,
client_secret, scope `https://<org>/.default`):

- find the contact: by `person_id` (the contactid) when the sink knows it,
  else `GET contacts?$filter=emailaddress1 eq '<a>' or emailaddress2 eq '<a>' or
  emailaddress3 eq '<a>'&$select=contactid,donotbulkemail` (a contact's three
  e-mail fields: a mailing may have gone to any of them; every match gets the
  change, duplicates in the CRM included);
- `interaction.recorded`: a note on the contact, `POST annotations` with
  `objectid_contact@odata.bind`; its subject carries the event id, and we
  look for that subject first, so a redelivered event makes no second note;
- `contact.bulk_email_changed`: `PATCH contacts(<id>)` `{"donotbulkemail": true|false}`
  with `If-Match: *`, so a vanished contact answers 404 instead of being
  re-created by an upsert (PATCH is idempotent by nature);
- `outreach_list.member_added`: the marketing list by name
  (`GET lists?$filter=listname eq '<name>'`), then its bound action
  `Microsoft.Dynamics.CRM.AddMemberList` with `{"EntityId": <contactid>}`.

Every request carries `OData-MaxVersion: 4.0`, `OData-Version: 4.0`,
`Accept: application/json` and `Authorization: Bearer <token>`. A 401
refreshes the token once and repeats the request. 429 (service protection
limits) and 5xx retry after Retry-After; other 4xx are dead letters. When
the service is unreachable or throttling, the rest of the batch is not tried:
it is retried later with the same backoff, instead of timing out event by event.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
import structlog

from bounce_sink.crm.adapter import DeliveryResult, OutboundEvent, Outcome
from bounce_sink.crm.http_status import outcome_for_status, parse_retry_after, short_body

log = structlog.get_logger("bounce_sink.crm.dataverse")

ODATA_HEADERS = {
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
    "Accept": "application/json",
}
TOKEN_EARLY_REFRESH_SECONDS = 60.0
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class DataverseFailure(Exception):
    """One event could not be applied; carries the outcome the worker should record."""

    def __init__(self, outcome: Outcome, error: str, retry_after: float | None = None) -> None:
        super().__init__(error)
        self.outcome = outcome
        self.error = error
        self.retry_after = retry_after


# The contact entity's e-mail columns; the first is the primary address.
EMAIL_FIELDS = ("emailaddress1", "emailaddress2", "emailaddress3")


def odata_string(value: str) -> str:
    """An OData string literal: single quotes doubled inside single quotes."""
    return "'" + value.replace("'", "''") + "'"


def default_scope(api_url: str) -> str:
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


def note_subject(payload: dict[str, Any]) -> str:
    code = payload.get("code") or payload.get("reason") or "interaction"
    return f"Bulk email {code}: {payload.get('address', '')} [{payload['event_id']}]"


def note_text(payload: dict[str, Any]) -> str:
    lines = [
        f"Address: {payload.get('address', '')}",
        f"Code: {payload.get('code') or '-'}",
        f"Reason: {payload.get('reason', '')} ({payload.get('severity', '')}, {payload.get('side', '')} side)",
        f"Status: {payload.get('status', '')} {payload.get('reply_code', '')}".rstrip(),
        f"Remote server said: {payload.get('diagnostic', '')}",
        f"Occurred at: {payload.get('occurred_at', '')}",
        f"DSN id: {payload.get('dsn_id', '')}",
        f"Event id: {payload['event_id']}",
    ]
    return "\n".join(lines)


class DataverseAdapter:
    name = "dataverse"

    def __init__(
        self,
        api_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str = "",
        *,
        timeout: float = 30.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        missing = [
            n
            for n, v in (
                ("crm_dataverse_url", api_url),
                ("crm_dataverse_token_url", token_url),
                ("crm_dataverse_client_id", client_id),
                ("crm_dataverse_client_secret", client_secret),
            )
            if not v
        ]
        if missing:
            raise ValueError(f"dataverse adapter needs {', '.join(missing)}")
        self.api_url = api_url.rstrip("/")
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope or default_scope(api_url)
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None
        self._token: str | None = None
        self._token_expires = 0.0
        self.token_fetches = 0

    # -- token -------------------------------------------------------------

    async def _get_token(self, *, force: bool = False) -> str:
        if not force and self._token and time.monotonic() < self._token_expires:
            return self._token
        try:
            response = await self._client.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "scope": self.scope,
                },
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise DataverseFailure(Outcome.RETRY, f"token endpoint unreachable: {exc!r}") from exc
        self.token_fetches += 1
        if response.status_code != 200:
            # A refused client is a configuration problem, not the event's: retry
            # with backoff until an operator fixes the credentials.
            raise DataverseFailure(
                Outcome.RETRY,
                f"token endpoint answered HTTP {response.status_code}: {short_body(response.text)}",
                parse_retry_after(response.headers),
            )
        try:
            doc = response.json()
            token = str(doc["access_token"])
            lifetime = float(doc.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as exc:
            raise DataverseFailure(
                Outcome.RETRY, f"token endpoint answer unusable: {exc!r}"
            ) from exc
        self._token = token
        self._token_expires = time.monotonic() + max(lifetime - TOKEN_EARLY_REFRESH_SECONDS, 0.0)
        log.info("crm.dataverse.token", expires_in=lifetime)
        return token

    # -- requests ----------------------------------------------------------

    async def _send(self, method: str, path: str, token: str, **kwargs: Any) -> httpx.Response:
        headers = {**ODATA_HEADERS, "Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        try:
            return await self._client.request(
                method, f"{self.api_url}/{path}", headers=headers, **kwargs
            )
        except httpx.TimeoutException as exc:
            raise DataverseFailure(Outcome.RETRY, f"timeout: {method} {path}: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise DataverseFailure(
                Outcome.RETRY, f"connection error: {method} {path}: {exc!r}"
            ) from exc

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One Web API call; a 401 refreshes the token once and repeats it; failures raise."""
        token = await self._get_token()
        response = await self._send(method, path, token, **dict(kwargs))
        if response.status_code == 401:
            log.info("crm.dataverse.token_refresh", path=path)
            token = await self._get_token(force=True)
            response = await self._send(method, path, token, **dict(kwargs))
        outcome = outcome_for_status(response.status_code)
        if outcome is not Outcome.DELIVERED:
            raise DataverseFailure(
                outcome,
                f"HTTP {response.status_code} on {method} {path.split('?')[0]}: {short_body(response.text)}",
                parse_retry_after(response.headers),
            )
        return response

    async def _contact_ids(self, payload: dict[str, Any]) -> list[str]:
        person_id = payload.get("person_id")
        # A person id is used only when it is a contactid (a GUID); anything else
        # would be spliced into a URL path, so it falls back to the address.
        if isinstance(person_id, str) and GUID.fullmatch(person_id):
            return [person_id.lower()]
        address = str(payload.get("address", ""))
        literal = odata_string(address)
        response = await self._request(
            "GET",
            "contacts",
            params={
                "$filter": " or ".join(f"{field} eq {literal}" for field in EMAIL_FIELDS),
                "$select": "contactid,donotbulkemail",
            },
        )
        ids = [
            str(row["contactid"])
            for row in response.json().get("value", [])
            if row.get("contactid")
        ]
        if not ids:
            raise DataverseFailure(
                Outcome.DEAD,
                f"no contact with {address!r} in emailaddress1, 2 or 3 in Dataverse",
            )
        return ids

    # -- one event ---------------------------------------------------------

    async def _record_note(self, contact_id: str, payload: dict[str, Any]) -> None:
        subject = note_subject(payload)
        existing = await self._request(
            "GET",
            "annotations",
            params={
                "$filter": f"_objectid_value eq {contact_id} and subject eq {odata_string(subject)}",
                "$select": "annotationid",
                "$top": "1",
            },
        )
        if existing.json().get("value"):
            return  # delivered before (a retry after a lost answer): nothing to add
        await self._request(
            "POST",
            "annotations",
            json={
                "subject": subject,
                "notetext": note_text(payload),
                "objectid_contact@odata.bind": f"/contacts({contact_id})",
            },
        )

    async def _set_bulk_email(self, contact_id: str, payload: dict[str, Any]) -> None:
        value = payload.get("bulk_email")
        if value not in ("allow", "do_not_allow"):
            raise DataverseFailure(
                Outcome.DEAD, f"bulk_email must be allow or do_not_allow, got {value!r}"
            )
        await self._request(
            "PATCH",
            f"contacts({contact_id})",
            json={"donotbulkemail": value == "do_not_allow"},
            headers={"If-Match": "*"},
        )

    async def _add_to_list(self, contact_id: str, payload: dict[str, Any]) -> None:
        name = str(payload.get("list_name", ""))
        found = await self._request(
            "GET",
            "lists",
            params={"$filter": f"listname eq {odata_string(name)}", "$select": "listid"},
        )
        rows = found.json().get("value", [])
        if not rows:
            raise DataverseFailure(Outcome.DEAD, f"no marketing list named {name!r} in Dataverse")
        await self._request(
            "POST",
            f"lists({rows[0]['listid']})/Microsoft.Dynamics.CRM.AddMemberList",
            json={"EntityId": contact_id},
        )

    async def _deliver_one(self, event: OutboundEvent) -> None:
        payload = event.payload
        actions = {
            "interaction.recorded": self._record_note,
            "contact.bulk_email_changed": self._set_bulk_email,
            "outreach_list.member_added": self._add_to_list,
        }
        action = actions.get(event.type)
        if action is None:
            raise DataverseFailure(
                Outcome.DEAD, f"event type {event.type!r} has no Dataverse mapping"
            )
        for contact_id in await self._contact_ids(payload):
            await action(contact_id, payload)

    async def deliver(self, batch: Sequence[OutboundEvent]) -> list[DeliveryResult]:
        results: list[DeliveryResult] = []
        unavailable: DataverseFailure | None = None
        for event in batch:
            if unavailable is not None:
                results.append(
                    DeliveryResult.retry(
                        event.event_id, f"not tried: {unavailable.error}", unavailable.retry_after
                    )
                )
                continue
            try:
                await self._deliver_one(event)
            except DataverseFailure as failure:
                if failure.outcome is Outcome.DEAD:
                    results.append(DeliveryResult.dead(event.event_id, failure.error))
                else:
                    results.append(
                        DeliveryResult.retry(event.event_id, failure.error, failure.retry_after)
                    )
                    unavailable = failure
            else:
                results.append(DeliveryResult.delivered(event.event_id))
        return results

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
