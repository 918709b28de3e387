"""Settings: defaults that run with no file at all, a TOML file, then the environment.

Every key of the TOML file can also be set as BOUNCE_SINK_<KEY> (upper case,
dots of nested tables as double underscores are not used: keys are flat), so a
container or a systemd unit needs no file.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, fields
from typing import Any

ENV_PREFIX = "BOUNCE_SINK_"
CONFIG_ENV = "BOUNCE_SINK_CONFIG"


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which key and why."""


@dataclass
class Settings:
    database_url: str = "sqlite+aiosqlite:///var/bounce-sink.db"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    lmtp_enabled: bool = False
    lmtp_host: str = "127.0.0.1"
    lmtp_port: int = 2424
    lmtp_socket: str = ""  # a Unix socket path instead of host:port, if set
    bounce_domains: list[str] = field(default_factory=lambda: ["localhost"])
    bounce_local_part: str = "bounces"
    max_message_size: int = 50 * 1024 * 1024  # hard cap: 552 5.3.4 above it
    store_limit: int = 2 * 1024 * 1024  # raw bytes kept beyond this are truncated
    admin_enabled: bool = True
    admin_host: str = "127.0.0.1"
    admin_port: int = 8080
    admin_token: str = ""  # required for the JSON API and inbound CRM endpoint when set
    # signed return paths (VERP tags); empty key: unsigned plain bounces are trusted
    verp_key: str = ""
    verp_max_age_days: int = 60
    # earlier signing keys: still verify tags during a key rotation, never used to sign
    verp_old_keys: list[str] = field(default_factory=list)
    # header of the returned original that carries the sender's mailing id
    mailing_id_header: str = "X-Mailing-Id"
    # soft-bounce escalation
    soft_bounce_limit: int = 5
    soft_bounce_window_days: int = 30
    # incidents: sender-side failures at one domain
    incident_threshold: int = 20
    incident_window_minutes: int = 60
    # CRM sync
    crm_adapter: str = "none"  # none | webhook | dataverse | csv
    crm_webhook_url: str = ""
    crm_webhook_secret: str = ""
    crm_csv_dir: str = "var/crm-export"
    crm_dataverse_url: str = ""
    crm_dataverse_token_url: str = ""
    crm_dataverse_client_id: str = ""
    crm_dataverse_client_secret: str = ""
    crm_dataverse_scope: str = ""
    sync_batch_size: int = 50
    sync_interval_seconds: float = 5.0
    sync_backoff_base_seconds: float = 2.0  # first retry waits up to this (full jitter)
    sync_backoff_max_seconds: float = 600.0  # cap: a CRM down for hours is polled every <= 10 min
    sync_claim_seconds: float = 120.0  # lease on a claimed batch; a killed worker's claim expires
    sync_http_timeout_seconds: float = 30.0
    crm_inbound_token: str = ""  # Bearer token for /api/crm/*; empty: admin_token is used
    raw_retention_days: int = 0  # 0: keep raw messages for ever
    outbox_retention_days: int = 30  # delivered CRM events; 0: keep them for ever
    log_format: str = "json"  # json | console
    log_level: str = "info"


def _coerce(name: str, raw: Any, example: Any) -> Any:
    if isinstance(example, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{name}: expected true or false, got {raw!r}")
    if isinstance(example, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if isinstance(example, float):
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: expected a number, got {raw!r}") from None
    if isinstance(example, list):
        if isinstance(raw, list):
            return [str(x) for x in raw]
        return [part.strip() for part in str(raw).split(",") if part.strip()]
    return str(raw)


def _did_you_mean(key: str, known: dict[str, Any]) -> str:
    """A misspelt key is the usual cause; name the closest real one, else list them all."""
    close = difflib.get_close_matches(key, list(known), n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known keys: {', '.join(sorted(known))})"


def load_settings(
    path: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults, then the TOML file (argument or BOUNCE_SINK_CONFIG), then the environment, then overrides."""
    env = dict(os.environ) if env is None else env
    settings = Settings()
    known = {f.name: getattr(settings, f.name) for f in fields(settings)}
    path = path or env.get(CONFIG_ENV) or None
    if path:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        for key, value in data.items():
            if key not in known:
                raise ConfigError(
                    f"config file {path}: unknown key {key!r}{_did_you_mean(key, known)}"
                )
            setattr(settings, key, _coerce(key, value, known[key]))
    for key, example in known.items():
        env_key = ENV_PREFIX + key.upper()
        if env_key in env:
            setattr(settings, key, _coerce(env_key, env[env_key], example))
    for key, value in overrides.items():
        if value is None:
            continue
        if key not in known:
            raise ConfigError(f"unknown setting {key!r}")
        setattr(settings, key, _coerce(key, value, known[key]))
    settings.bounce_domains = [d.lower().rstrip(".") for d in settings.bounce_domains]
    return settings
