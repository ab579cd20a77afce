"""Settings of the check-in service."""
from __future__ import annotations

from congress_common.settings import ServiceSettings


class CheckinSettings(ServiceSettings):
    service_name: str = "checkin"
    max_import_bytes: int = 10 * 1024 * 1024
