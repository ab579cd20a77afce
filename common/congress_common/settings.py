"""Typed settings shared by every service (pydantic-settings).

Standard variables keep their usual names (``DATABASE_URL``, ``REDIS_URL``,
``KAFKA_BOOTSTRAP_SERVERS``, ``PORT``); the rest are ``CONGRESS_*``.
Outside the embedded demo a default secret refuses to start.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core
DEMO_SECRET = "embedded-demo-secret-change-me-not-for-production"  # noqa: S105 - accepted only in embedded mode


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONGRESS_", extra="ignore", populate_by_name=True)

    service_name: str = "service"
    mode: Literal["embedded", "distributed"] = "embedded"
    secret_key: SecretStr = SecretStr(DEMO_SECRET)
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
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "CONGRESS_PORT"))
    # spreadsheets uploaded to a service (roster, hall plan): congress_common.workbooks
    max_import_bytes: int = 10 * 1024 * 1024  # the .xlsx as uploaded
    max_import_uncompressed_bytes: int = 40 * 1024 * 1024  # its parts once inflated (zip bombs stop here)
    import_parse_timeout_s: float = 30.0  # the worker parsing it is killed after this
    import_parse_memory_mb: int = 1024  # address-space limit of that worker

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> ServiceSettings:
        if self.mode != "embedded" and self.secret_key.get_secret_value() == DEMO_SECRET:
            raise ValueError(
                "CONGRESS_SECRET_KEY is the demo default: set a real secret outside the embedded run"
            )
        if self.mode != "embedded" and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("CONGRESS_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or a SQLite file of this service in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / (self.service_name + '.db')}"

    def create_bus(self, client_name: str | None = None):
        from .bus import create_bus

        return create_bus(self.bus, redis_url=self.redis_url, kafka_bootstrap_servers=self.kafka_bootstrap_servers,
                          client_name=client_name or self.service_name, max_attempts=self.max_delivery_attempts,
                          namespace=self.bus_namespace, kafka_idempotence=self.kafka_idempotence,
                          kafka_fetch_max_wait_ms=self.kafka_fetch_max_wait_ms,
                          kafka_session_timeout_ms=self.kafka_session_timeout_ms,
                          redis_claim_idle_ms=self.redis_claim_idle_ms)

    def secret(self) -> str:
        return self.secret_key.get_secret_value()
