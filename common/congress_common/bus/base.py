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
* A handler that raises ``RetryLater`` (its database is away) is not failing
  on the event: the adapter waits and calls it again, as long as it takes,
  without counting an attempt, so an outage never sends events to the
  dead-letter topic (``EventBus.handle``).
"""
from __future__ import annotations

import abc
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import structlog

from ..contracts.envelope import EventEnvelope, utcnow

log = structlog.get_logger(__name__)

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


class RetryLater(Exception):
    """The handler could not run now (its database is away): not the event's fault, try again later."""


class EventBus(abc.ABC):
    """Publish/subscribe with consumer groups, at-least-once delivery and dead letters."""

    name: str = "abstract"
    retry_later_s = (0.2, 5.0)  # first and longest pause while a handler asks to retry later

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

    async def handle(self, handler: Handler, envelope: EventEnvelope) -> None:
        """Run ``handler``; while it raises ``RetryLater``, wait (doubling, up to the longest pause) and run it
        again. Any other exception is the adapter's to count and, past ``max_attempts``, dead-letter."""
        pause, longest = self.retry_later_s
        while True:
            try:
                await handler(envelope)
                return
            except RetryLater as exc:
                log.warning("bus.handler_retry_later", bus=self.name, event_id=envelope.event_id, error=str(exc))
                await asyncio.sleep(pause)
                pause = min(pause * 2, longest)
