"""Settings of the check-in service."""
from __future__ import annotations

from congress_common.settings import ServiceSettings


class CheckinSettings(ServiceSettings):
    service_name: str = "checkin"
