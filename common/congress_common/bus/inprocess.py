"""In-process bus for the embedded run: no server, delivery inside ``publish``.

``publish`` hands the event to every subscribed group and returns only when
each group has handled it (or dead-lettered it). The outbox relay therefore
marks a row published only after its consumers committed, so killing the
process at any point loses nothing: unpublished rows are sent again on the
next start and consumers skip the event ids they already processed.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog

from ..contracts.envelope import EventEnvelope
from .base import EventBus, Handler, dead_letter, dead_letter_topic

log = structlog.get_logger(__name__)


class InProcessBus(EventBus):
    name = "inprocess"

    def __init__(self, *, max_attempts: int = 5, retry_delay: float = 0.01, listen_buffer: int = 10_000) -> None:
        super().__init__(max_attempts=max_attempts)
        self.retry_delay = retry_delay
        self.listen_buffer = listen_buffer
        self._groups: dict[str, dict[str, list[Handler]]] = defaultdict(dict)
        self._group_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._round_robin: dict[tuple[str, str], int] = defaultdict(int)
        self._listeners: dict[str, set[asyncio.Queue[EventEnvelope]]] = defaultdict(set)

    def subscribe(self, topic: str, group: str, handler: Handler) -> None:
        self._groups[topic].setdefault(group, []).append(handler)
        self._group_locks.setdefault((topic, group), asyncio.Lock())

    async def publish(self, topic: str, envelope: EventEnvelope) -> None:
        for queue in list(self._listeners.get(topic, ())):
            if queue.qsize() < self.listen_buffer:
                queue.put_nowait(envelope)
        groups = self._groups.get(topic, {})
        await asyncio.gather(*(self._deliver(topic, group, envelope) for group in list(groups)))

    async def _deliver(self, topic: str, group: str, envelope: EventEnvelope) -> None:
        handlers = self._groups[topic][group]
        key = (topic, group)
        # one consumer of the group gets it; the lock keeps the group's order
        async with self._group_locks[key]:
            handler = handlers[self._round_robin[key] % len(handlers)]
            self._round_robin[key] += 1
            for attempt in range(1, self.max_attempts + 1):
                try:
                    await self.handle(handler, envelope)
                    return
                except Exception as exc:  # noqa: BLE001 - any handler failure is retried
                    log.warning("bus.handler_failed", bus=self.name, topic=topic, group=group, attempt=attempt, error=str(exc))
                    if attempt == self.max_attempts:
                        dlq = dead_letter(envelope, group=group, error=exc, attempts=attempt)
                        await self.publish(dead_letter_topic(topic), dlq)
                        return
                    await asyncio.sleep(self.retry_delay * attempt)

    @asynccontextmanager
    async def listen(self, topic: str) -> AsyncIterator[AsyncIterator[EventEnvelope]]:
        queue: asyncio.Queue[EventEnvelope] = asyncio.Queue()
        self._listeners[topic].add(queue)

        async def events() -> AsyncIterator[EventEnvelope]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            self._listeners[topic].discard(queue)
