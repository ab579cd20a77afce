"""Settings of the documents service: file storage (local folder or S3), limits, the PDF worker, conversion."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from congress_common.settings import ServiceSettings
from pydantic import Field, SecretStr


class DocumentsSettings(ServiceSettings):
    service_name: str = "documents"
    storage: Literal["local", "s3"] = "local"
    storage_dir: Path | None = None  # local storage; default <data_dir>/documents
    cache_dir: Path | None = None  # page images, watermarked copies, S3 sources; default <data_dir>/documents-cache
    s3_endpoint_url: str | None = None
    s3_bucket: str = "congress-documents"
    s3_region: str = "us-east-1"
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    max_document_pages: int = Field(default=2000, ge=1)
    converter: str = "auto"  # LibreOffice's soffice: "auto" finds it on PATH, "none" refuses Word/Excel uploads
    convert_timeout_s: float = 120.0
    pdf_task_timeout_s: float = 60.0
    render_workers: int = Field(default=2, ge=1, le=8)
    release_poll_seconds: float = 2.0

    def storage_path(self) -> Path:
        return self.storage_dir or self.data_dir / "documents"

    def cache_path(self) -> Path:
        return self.cache_dir or self.data_dir / "documents-cache"
