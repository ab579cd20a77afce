"""ASGI entry point of the check-in service run on its own: ``uvicorn congress_checkin.main:app``."""
from __future__ import annotations

from congress_common.bus import create_bus
from congress_common.logging import configure_logging

from .bootstrap import create_app
from .settings import CheckinSettings

settings = CheckinSettings()
configure_logging(json=settings.log_json, level=settings.log_level)
app = create_app(settings, create_bus(settings.bus, redis_url=settings.redis_url,
                                      kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
                                      client_name=settings.service_name,
                                      max_attempts=settings.max_delivery_attempts))
