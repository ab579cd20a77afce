"""The envelope every integration event travels in, and the base of all event models."""
from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class StreamEvent(StrEnum):
    """The live stream's own events (not integration events): the one declaration the gateway and the
    browser's ``events.js`` derive from."""

    ready = "stream.ready"  # the stream is open: what comes next is live
    resync = "stream.resync"  # events were dropped for this client (it fell behind): refetch what it shows


class Audience(StrEnum):
    """Who may see an event on the live stream: the one declaration the gateway, catalogue and browser derive from."""

    staff = "staff"  # organisers and admins of the congress only
    public = "public"  # also the congress's delegates (phones) and kiosk devices


class IntegrationEvent(BaseModel):
    """Base of every integration event payload.

    Subclasses set ``TYPE`` (dotted, past tense), ``VERSION``, ``TOPIC``
    (the stream the producing service publishes to) and ``AUDIENCE`` (who
    may see it on the live stream; declared on every event, no default).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    TOPIC: ClassVar[str]
    AUDIENCE: ClassVar[Audience]


class EventEnvelope(BaseModel):
    """Metadata around an event payload; ``congress_id`` is the partition key."""

    model_config = ConfigDict(frozen=True)

    event_id: str = Field(default_factory=lambda: str(uuid4()))
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=utcnow)
    congress_id: str
    correlation_id: str | None = None
    producer: str = ""
    payload: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def wrap(
        cls,
        event: IntegrationEvent,
        *,
        congress_id: str,
        producer: str,
        correlation_id: str | None = None,
    ) -> EventEnvelope:
        return cls(
            type=event.TYPE,
            version=event.VERSION,
            congress_id=congress_id,
            correlation_id=correlation_id,
            producer=producer,
            payload=event.model_dump(mode="json"),
        )

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, raw: str | bytes) -> EventEnvelope:
        return cls.model_validate_json(raw)
