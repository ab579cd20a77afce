"""Settings of the check-in service."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from congress_common.settings import ServiceSettings
from pydantic import field_validator


class CheckinSettings(ServiceSettings):
    service_name: str = "checkin"
    # printouts and exports show local times (stored times are UTC)
    timezone: str = "Asia/Ho_Chi_Minh"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # an unknown zone refuses to start
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
