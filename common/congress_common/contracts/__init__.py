"""Integration event contracts: the only place events are declared."""
from __future__ import annotations

from .checkin import (
    TOPIC_CHECKIN,
    CheckInMethod,
    CheckInRevoked,
    CongressClosed,
    CongressCreated,
    CongressRole,
    CongressSessionStarted,
    CongressUpdated,
    DelegateCheckedIn,
    DelegateFaceEnrolled,
    DelegateFaceRemoved,
    DelegateKind,
    DelegateRegistered,
    DelegateReinstated,
    DelegateRemoved,
    DelegateUpdated,
    DelegateWithdrawn,
)
from .documents import (
    TOPIC_DOCUMENTS,
    AgendaChanged,
    AgendaItemOpened,
    AnnouncementPosted,
    AnnouncementPriority,
    DocumentPublished,
    DocumentVersionAdded,
    DocumentWithdrawn,
)
from .envelope import Audience, EventEnvelope, IntegrationEvent, StreamEvent, utcnow
from .seating import TOPIC_SEATING, SeatAssigned, SeatingPublished, SeatReleased

ALL_EVENTS: tuple[type[IntegrationEvent], ...] = (
    CongressCreated,
    CongressUpdated,
    CongressClosed,
    CongressSessionStarted,
    DelegateRegistered,
    DelegateUpdated,
    DelegateRemoved,
    DelegateWithdrawn,
    DelegateReinstated,
    DelegateCheckedIn,
    CheckInRevoked,
    DelegateFaceEnrolled,
    DelegateFaceRemoved,
    SeatAssigned,
    SeatReleased,
    SeatingPublished,
    DocumentPublished,
    DocumentVersionAdded,
    DocumentWithdrawn,
    AnnouncementPosted,
    AgendaItemOpened,
    AgendaChanged,
)
ALL_TOPICS: tuple[str, ...] = tuple(sorted({e.TOPIC for e in ALL_EVENTS}))
EVENT_TYPES: dict[tuple[str, int], type[IntegrationEvent]] = {(e.TYPE, e.VERSION): e for e in ALL_EVENTS}
# derived from each event's AUDIENCE: what delegates' phones and kiosks may see on the live stream
PUBLIC_EVENT_TYPES: frozenset[str] = frozenset(e.TYPE for e in ALL_EVENTS if e.AUDIENCE is Audience.public)


class UnknownEvent(LookupError):
    pass


def parse_event(envelope: EventEnvelope) -> IntegrationEvent:
    """Turn an envelope back into its typed event; unknown types raise ``UnknownEvent``."""
    try:
        model = EVENT_TYPES[(envelope.type, envelope.version)]
    except KeyError:
        raise UnknownEvent(f"{envelope.type} v{envelope.version}") from None
    return model.model_validate(envelope.payload)


__all__ = [
    "ALL_EVENTS",
    "ALL_TOPICS",
    "EVENT_TYPES",
    "PUBLIC_EVENT_TYPES",
    "TOPIC_CHECKIN",
    "TOPIC_DOCUMENTS",
    "TOPIC_SEATING",
    "AgendaChanged",
    "AgendaItemOpened",
    "AnnouncementPosted",
    "AnnouncementPriority",
    "Audience",
    "CheckInMethod",
    "CheckInRevoked",
    "CongressClosed",
    "CongressCreated",
    "CongressRole",
    "CongressSessionStarted",
    "CongressUpdated",
    "DelegateCheckedIn",
    "DelegateFaceEnrolled",
    "DelegateFaceRemoved",
    "DelegateKind",
    "DelegateRegistered",
    "DelegateReinstated",
    "DelegateRemoved",
    "DelegateUpdated",
    "DelegateWithdrawn",
    "DocumentPublished",
    "DocumentVersionAdded",
    "DocumentWithdrawn",
    "EventEnvelope",
    "IntegrationEvent",
    "SeatAssigned",
    "SeatReleased",
    "SeatingPublished",
    "StreamEvent",
    "UnknownEvent",
    "parse_event",
    "utcnow",
]
