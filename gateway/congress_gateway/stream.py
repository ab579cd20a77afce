"""Live stream of a congress's events: one bus tap per topic, fanned out to SSE clients."""
from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator

import structlog
from congress_common.aio import cancel_and_wait
from congress_common.auth import Principal, Role
from congress_common.bus import EventBus
from congress_common.contracts import PUBLIC_EVENT_TYPES, EventEnvelope

log = structlog.get_logger(__name__)

CLIENT_BUFFER = 1000


def visible_to(principal: Principal, envelope: EventEnvelope) -> bool:
    """Staff see every event of their congress; delegates and kiosks those declared ``Audience.public``."""
    if principal.role in (Role.admin, Role.organiser):
        return True
    return envelope.type in PUBLIC_EVENT_TYPES


class EventFanout:
    """Taps each topic once and hands every event to the queues of that congress's clients."""

    def __init__(self, bus: EventBus, topics: tuple[str, ...]) -> None:
        self.bus, self.topics = bus, topics
        self._clients: dict[str, set[asyncio.Queue[EventEnvelope]]] = defaultdict(set)
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
            if queue.qsize() < CLIENT_BUFFER:
                queue.put_nowait(envelope)

    @contextlib.contextmanager
    def client(self, congress_id: str):
        queue: asyncio.Queue[EventEnvelope] = asyncio.Queue()
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
        yield {"event": "stream.ready", "data": "{}"}
        while True:
            envelope = await queue.get()
            if visible_to(principal, envelope):
                yield {"event": envelope.type, "id": envelope.event_id, "data": envelope.to_json()}
