"""The one event-bus interface every adapter implements.

Semantics every adapter must honour (checked by ``tests/contract``):

* ``publish`` returns only once the event is durably accepted by the bus
  (for the in-process bus: once every subscribed group has handled it).
* ``subscribe(topic, group, handler)``: each group receives every event of the
  topic at least once; within a group, one consumer handles each event.
  The event is acknowledged only after ``handler`` returns.
* A handler that raises is retried; after ``max_attempts`` failures the event
  goes to ``dead_letter_topic(topic)`` wrapped in a ``bus.dead_letter``
  envelope and is acknowledged on the original topic.
* ``listen(topic)`` is a broadcast tap from "now" on (no group, no
  acknowledgement): for live streams such as the gateway's SSE.
* Events of one ``congress_id`` keep their publication order for a group.
"""
from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from ..contracts.envelope import EventEnvelope, utcnow

Handler = Callable[[EventEnvelope], Awaitable[None]]

DEAD_LETTER_TYPE = "bus.dead_letter"
DEFAULT_MAX_ATTEMPTS = 5


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"


def dead_letter(envelope: EventEnvelope, *, group: str, error: BaseException | str, attempts: int) -> EventEnvelope:
    """The envelope that carries a failed event to the dead-letter topic."""
    return EventEnvelope(
        type=DEAD_LETTER_TYPE,
        congress_id=envelope.congress_id,
        correlation_id=envelope.correlation_id,
        producer=f"bus:{group}",
        payload={
            "original": envelope.model_dump(mode="json"),
            "group": group,
            "error": error if isinstance(error, str) else f"{type(error).__name__}: {error}",
            "attempts": attempts,
            "failed_at": utcnow().isoformat(),
        },
    )


def malformed_dead_letter(raw: dict[str, Any], *, congress_id: str | None, group: str,
                          error: BaseException) -> EventEnvelope:
    """A dead letter for a message that does not even hold a valid envelope (``raw`` is what arrived)."""
    return EventEnvelope(
        type=DEAD_LETTER_TYPE,
        congress_id=congress_id or "unknown",
        producer=f"bus:{group}",
        payload={
            "original": None,
            "raw": raw,
            "group": group,
            "error": f"malformed message: {type(error).__name__}: {error}",
            "attempts": 0,
            "failed_at": utcnow().isoformat(),
        },
    )


class EventBus(abc.ABC):
    """Publish/subscribe with consumer groups, at-least-once delivery and dead letters."""

    name: str = "abstract"

    def __init__(self, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> None:
        self.max_attempts = max_attempts

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Connect; subscriptions made before or after start both work."""

    async def stop(self) -> None:  # noqa: B027 - optional hook
        """Stop consuming and disconnect."""

    @abc.abstractmethod
    async def publish(self, topic: str, envelope: EventEnvelope) -> None: ...

    @abc.abstractmethod
    def subscribe(self, topic: str, group: str, handler: Handler) -> None: ...

    @abc.abstractmethod
    def listen(self, topic: str) -> AbstractAsyncContextManager[AsyncIterator[EventEnvelope]]: ...

    async def healthy(self) -> bool:
        return True
