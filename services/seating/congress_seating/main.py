"""ASGI entry point of the seating service run on its own: ``uvicorn congress_seating.main:app``."""
from __future__ import annotations

from congress_common.logging import configure_logging

from .bootstrap import create_app
from .settings import SeatingSettings

settings = SeatingSettings()
configure_logging(json=settings.log_json, level=settings.log_level)
app = create_app(settings, settings.create_bus())
