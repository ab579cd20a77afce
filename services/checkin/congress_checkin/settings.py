"""Settings of the check-in service."""
from __future__ import annotations

from congress_common.settings import ServiceSettings


class CheckinSettings(ServiceSettings):
    service_name: str = "checkin"
    max_import_bytes: int = 10 * 1024 * 1024  # the .xlsx as uploaded
    max_import_uncompressed_bytes: int = 40 * 1024 * 1024  # its parts once inflated (zip bombs stop here)
    import_parse_timeout_s: float = 30.0  # the worker parsing it is killed after this
    import_parse_memory_mb: int = 1024  # address-space limit of that worker
