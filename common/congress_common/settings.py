"""Typed settings shared by every service (pydantic-settings).

Standard variables keep their usual names (``DATABASE_URL``, ``REDIS_URL``,
``KAFKA_BOOTSTRAP_SERVERS``, ``PORT``); the rest are ``CONGRESS_*``.
The secret (``CONGRESS_SECRET_KEY``) has no default: outside the embedded run
it must be set (at least 32 characters); the embedded run makes a random one
on its first start and keeps it in its data folder (``secret.key``, readable
by its owner only), see ``embedded_secret``.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .guard import BodyLimits

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core
MIN_SECRET_LENGTH = 32
SECRET_FILE = "secret.key"  # noqa: S105 - a file name


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONGRESS_", extra="ignore", populate_by_name=True)

    service_name: str = "service"
    mode: Literal["embedded", "distributed"] = "embedded"
    secret_key: SecretStr | None = None
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("DATABASE_URL", "CONGRESS_DATABASE_URL"))
    database_schema: str | None = None
    bus: Literal["inprocess", "redis", "kafka"] = "inprocess"
    bus_namespace: str = Field(default="congress", pattern=r"^[A-Za-z0-9_\-]{1,40}$")
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", validation_alias=AliasChoices("REDIS_URL", "CONGRESS_REDIS_URL"))
    kafka_bootstrap_servers: str | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "CONGRESS_KAFKA_BOOTSTRAP_SERVERS")
    )
    redis_claim_idle_ms: int = Field(default=30_000, ge=100)  # a dead consumer's entries are taken over after this
    # off only for brokers without idempotent producers (tansu): see the README's reliability section
    kafka_idempotence: bool = True
    kafka_fetch_max_wait_ms: int = Field(default=500, ge=1, le=60_000)
    kafka_session_timeout_ms: int = Field(default=10_000, ge=500, le=300_000)
    data_dir: Path = Path("var")
    log_json: bool = False
    log_level: str = "INFO"
    max_delivery_attempts: int = 5
    outbox_poll_seconds: float = 1.0
    pdf_font_dir: Path = DEFAULT_FONT_DIR
    pdf_workers: int = Field(default=1, ge=1, le=8)
    max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # any request body, counted while it streams
    # a document upload (PDF, Word or Excel), in the gateway and the documents service: its own, larger limit
    max_document_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "CONGRESS_PORT"))
    # how long the HTTP server keeps an idle connection open: well above the idle reuse window of the clients
    # (httpx 5 s, proxies and browsers longer) plus the time a slow phone takes to drain a large download, so a
    # client never sends its next request on a connection the server is closing (uvicorn's own default is 5 s)
    keep_alive_seconds: int = Field(default=75, ge=1, le=3600)
    # spreadsheets uploaded to a service (roster, hall plan): congress_common.workbooks
    max_import_bytes: int = 10 * 1024 * 1024  # the .xlsx as uploaded
    max_import_uncompressed_bytes: int = 40 * 1024 * 1024  # its parts once inflated (zip bombs stop here)
    import_parse_timeout_s: float = 30.0  # the worker parsing it is killed after this
    import_parse_memory_mb: int = 1024  # address-space limit of that worker

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> ServiceSettings:
        if self.secret_key is None:
            if self.mode != "embedded":
                raise ValueError("CONGRESS_SECRET_KEY must be set outside the embedded run")
        elif len(self.secret_key.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(f"CONGRESS_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters")
        return self

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or a SQLite file of this service in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / (self.service_name + '.db')}"

    def body_limits(self) -> BodyLimits:
        return BodyLimits(default=self.max_body_bytes, document_bytes=self.max_document_bytes)

    def create_bus(self, client_name: str | None = None):
        from .bus import create_bus

        return create_bus(self.bus, redis_url=self.redis_url, kafka_bootstrap_servers=self.kafka_bootstrap_servers,
                          client_name=client_name or self.service_name, max_attempts=self.max_delivery_attempts,
                          namespace=self.bus_namespace, kafka_idempotence=self.kafka_idempotence,
                          kafka_fetch_max_wait_ms=self.kafka_fetch_max_wait_ms,
                          kafka_session_timeout_ms=self.kafka_session_timeout_ms,
                          redis_claim_idle_ms=self.redis_claim_idle_ms)

    def secret(self) -> str:
        """``CONGRESS_SECRET_KEY``; in the embedded run without one, the run's own (``data_dir/secret.key``)."""
        if self.secret_key is None:
            if self.mode != "embedded":
                raise RuntimeError("no secret: set CONGRESS_SECRET_KEY")
            self.secret_key = SecretStr(embedded_secret(self.data_dir))
        return self.secret_key.get_secret_value()


def embedded_secret(data_dir: Path) -> str:
    """The embedded run's secret: ``data_dir/secret.key``, made at random (mode 0600) on the first start.

    Created with ``O_EXCL``, so two processes starting at once agree on one;
    a file others can read is narrowed to its owner.
    """
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as out:
        out.write(secret + "\n")
    return secret


def _read_secret(path: Path) -> str:
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        path.chmod(0o600)
    secret = path.read_text().strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"{path} holds less than {MIN_SECRET_LENGTH} characters: delete it to make a new one")
    return secret
