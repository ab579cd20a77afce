"""Settings of the documents service."""
from __future__ import annotations

from congress_common.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    service_name: str = "documents"
