"""Events published by the seating service (seat plan changes) on topic ``congress.seating``."""
from __future__ import annotations

from datetime import datetime

from .envelope import Audience, IntegrationEvent

TOPIC_SEATING = "congress.seating"


class SeatAssigned(IntegrationEvent):
    """A delegate now sits in a seat (placement run, manual assignment, move or swap)."""

    TYPE = "seat.assigned"
    TOPIC = TOPIC_SEATING
    AUDIENCE = Audience.staff

    seat_id: str
    label: str
    section: str
    row: str
    number: int
    delegate_id: str
    delegation_id: str | None = None


class SeatReleased(IntegrationEvent):
    """A delegate no longer sits in a seat (cleared, moved away, removed from the roster)."""

    TYPE = "seat.released"
    TOPIC = TOPIC_SEATING
    AUDIENCE = Audience.staff

    seat_id: str
    label: str
    delegate_id: str


class SeatingPublished(IntegrationEvent):
    """The seat plan is published: delegates and kiosks may now show each delegate's seat."""

    TYPE = "seating.published"
    TOPIC = TOPIC_SEATING
    AUDIENCE = Audience.public

    hall_id: str
    seated: int
    published_at: datetime
