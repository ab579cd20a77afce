"""ASGI entry point of the check-in service run on its own: ``uvicorn congress_checkin.main:app``."""
from __future__ import annotations

from congress_common.logging import configure_logging

from .bootstrap import create_app
from .settings import CheckinSettings

settings = CheckinSettings()
configure_logging(json=settings.log_json, level=settings.log_level)
app = create_app(settings, settings.create_bus())
