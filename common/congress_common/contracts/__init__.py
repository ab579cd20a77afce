"""Integration event contracts: the only place events are declared."""
from __future__ import annotations

from .checkin import (
    TOPIC_CHECKIN,
    CheckInMethod,
    CheckInRevoked,
    CongressCreated,
    CongressRole,
    CongressUpdated,
    DelegateCheckedIn,
    DelegateKind,
    DelegateRegistered,
    DelegateRemoved,
    DelegateUpdated,
)
from .envelope import EventEnvelope, IntegrationEvent, utcnow

ALL_EVENTS: tuple[type[IntegrationEvent], ...] = (
    CongressCreated,
    CongressUpdated,
    DelegateRegistered,
    DelegateUpdated,
    DelegateRemoved,
    DelegateCheckedIn,
    CheckInRevoked,
)
ALL_TOPICS: tuple[str, ...] = tuple(sorted({e.TOPIC for e in ALL_EVENTS}))
EVENT_TYPES: dict[tuple[str, int], type[IntegrationEvent]] = {(e.TYPE, e.VERSION): e for e in ALL_EVENTS}


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
    "TOPIC_CHECKIN",
    "CheckInMethod",
    "CheckInRevoked",
    "CongressCreated",
    "CongressRole",
    "CongressUpdated",
    "DelegateCheckedIn",
    "DelegateKind",
    "DelegateRegistered",
    "DelegateRemoved",
    "DelegateUpdated",
    "EventEnvelope",
    "IntegrationEvent",
    "UnknownEvent",
    "parse_event",
    "utcnow",
]
