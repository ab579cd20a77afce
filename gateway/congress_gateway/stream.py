"""Live stream of a congress's events: one bus tap per topic, fanned out to SSE clients.

Nothing is dropped silently: a client that falls ``client_buffer`` events behind loses what it had not
read and gets ``stream.resync`` instead (so does every client after a tap reconnected, since the bus may
have moved on meanwhile); the browser then fetches afresh what it shows.
"""
from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator

import structlog
from congress_common.aio import cancel_and_wait
from congress_common.auth import Principal, Role
from congress_common.bus import EventBus
from congress_common.contracts import PUBLIC_EVENT_TYPES, EventEnvelope, StreamEvent

log = structlog.get_logger(__name__)

CLIENT_BUFFER = 1000


def visible_to(principal: Principal, envelope: EventEnvelope) -> bool:
    """Staff see every event of their congress; delegates and kiosks those declared ``Audience.public``."""
    if principal.role in (Role.admin, Role.organiser):
        return True
    return envelope.type in PUBLIC_EVENT_TYPES


class EventFanout:
    """Taps each topic once and hands every event to the queues of that congress's clients."""

    def __init__(self, bus: EventBus, topics: tuple[str, ...], *, client_buffer: int = CLIENT_BUFFER) -> None:
        self.bus, self.topics, self.client_buffer = bus, topics, client_buffer
        # None in a queue stands for "events were dropped here": the client is sent stream.resync
        self._clients: dict[str, set[asyncio.Queue[EventEnvelope | None]]] = defaultdict(set)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        ready = [asyncio.Event() for _ in self.topics]
        self._tasks = [asyncio.create_task(self._tap(t, r), name=f"fanout-{t}") for t, r in zip(self.topics, ready, strict=True)]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 10)

    async def stop(self) -> None:
        await asyncio.gather(*(cancel_and_wait(task) for task in self._tasks))

    async def _tap(self, topic: str, ready: asyncio.Event) -> None:
        while True:
            try:
                async with self.bus.listen(topic) as events:
                    if ready.is_set():  # a reconnection: whatever was published meanwhile is not coming
                        self.resync_all()
                    ready.set()
                    async for envelope in events:
                        self.dispatch(envelope)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect the tap
                log.warning("fanout.tap_failed", topic=topic, error=str(exc))
                await asyncio.sleep(1)

    def dispatch(self, envelope: EventEnvelope) -> None:
        for queue in list(self._clients.get(envelope.congress_id, ())):
            if queue.qsize() < self.client_buffer:
                queue.put_nowait(envelope)
            else:
                self._overflowed(queue)

    @staticmethod
    def _overflowed(queue: asyncio.Queue[EventEnvelope | None]) -> None:
        """Drop what the client had not read (it will refetch) and tell it so."""
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)
        log.warning("fanout.client_overflowed")

    def resync_all(self) -> None:
        for queues in self._clients.values():
            for queue in list(queues):
                self._overflowed(queue)

    @contextlib.contextmanager
    def client(self, congress_id: str):
        queue: asyncio.Queue[EventEnvelope | None] = asyncio.Queue()
        self._clients[congress_id].add(queue)
        try:
            yield queue
        finally:
            self._clients[congress_id].discard(queue)

    @property
    def client_count(self) -> int:
        return sum(len(q) for q in self._clients.values())


async def sse_events(fanout: EventFanout, congress_id: str, principal: Principal) -> AsyncIterator[dict]:
    with fanout.client(congress_id) as queue:
        yield {"event": StreamEvent.ready.value, "data": "{}"}
        while True:
            envelope = await queue.get()
            if envelope is None:
                yield {"event": StreamEvent.resync.value, "data": "{}"}
            elif visible_to(principal, envelope):
                yield {"event": envelope.type, "id": envelope.event_id, "data": envelope.to_json()}
