"""ASGI entry point of the documents service run on its own: ``uvicorn congress_documents.main:app``."""
from __future__ import annotations

from congress_common.logging import configure_logging

from .bootstrap import create_app
from .settings import DocumentsSettings

settings = DocumentsSettings()
configure_logging(json=settings.log_json, level=settings.log_level)
app = create_app(settings, settings.create_bus())
