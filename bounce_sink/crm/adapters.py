"""The adapters by name, chosen by `settings.crm_adapter`: an explicit registry, no import magic.

Adding a CRM: write one module with a class that satisfies
`bounce_sink.crm.adapter.CrmAdapter`, and add a factory line here.
"""

from __future__ import annotations

from collections.abc import Callable

from bounce_sink.config import ConfigError, Settings
from bounce_sink.crm.adapter import CrmAdapter


def _webhook(settings: Settings) -> CrmAdapter:
    from bounce_sink.crm.webhook import WebhookAdapter

    return WebhookAdapter(
        settings.crm_webhook_url,
        settings.crm_webhook_secret,
        timeout=settings.sync_http_timeout_seconds,
    )


def _dataverse(settings: Settings) -> CrmAdapter:
    from bounce_sink.crm.dataverse import DataverseAdapter

    return DataverseAdapter(
        settings.crm_dataverse_url,
        settings.crm_dataverse_token_url,
        settings.crm_dataverse_client_id,
        settings.crm_dataverse_client_secret,
        settings.crm_dataverse_scope,
        timeout=settings.sync_http_timeout_seconds,
    )


def _csv(settings: Settings) -> CrmAdapter:
    from bounce_sink.crm.csv_drop import CsvDropAdapter

    return CsvDropAdapter(settings.crm_csv_dir)


ADAPTERS: dict[str, Callable[[Settings], CrmAdapter]] = {
    "webhook": _webhook,
    "dataverse": _dataverse,
    "csv": _csv,
}


def make_adapter(settings: Settings) -> CrmAdapter:
    """The configured adapter; a ConfigError names the key to fix."""
    factory = ADAPTERS.get(settings.crm_adapter)
    if factory is None:
        known = ", ".join(sorted(ADAPTERS))
        raise ConfigError(
            f"crm_adapter = {settings.crm_adapter!r}: choose one of {known} (or none)"
        )
    try:
        return factory(settings)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
