"""Settings of the seating service."""
from __future__ import annotations

from congress_common.settings import ServiceSettings


class SeatingSettings(ServiceSettings):
    service_name: str = "seating"
