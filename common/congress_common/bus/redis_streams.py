"""Redis Streams adapter: one stream per topic, consumer groups, reclaim and dead letters.

* ``publish`` is an ``XADD`` of the envelope JSON (fields ``envelope`` and
  ``congress_id``) to the stream ``f"{stream_prefix}{topic}"``.
* ``subscribe`` joins a consumer group (created at id ``0`` with ``MKSTREAM``,
  so a new group also sees the events published before it existed). Each
  subscription runs one background task under a consumer name unique to the
  process; it handles its entries one after the other and ``XACK``s an entry
  only after the handler returned.
* A failing handler is retried in place after a short backoff, so the entries
  behind it wait and the group's order is kept. Every retry records the
  attempt in the entry's delivery counter (``XCLAIM ... RETRYCOUNT``), so the
  count survives a crash: entries idle for more than ``claim_idle_ms`` (their
  consumer died) are taken over with ``XAUTOCLAIM`` and continue from that
  count. After ``max_attempts`` the entry is written to the dead-letter stream
  and acknowledged in one ``MULTI``; so are entries that are not a valid
  envelope.
* ``listen`` tails the stream with ``XREAD`` from the last id present when it
  opened (``$`` resolved once, so nothing published in between is missed).

Caveats: with several consumers in one group, Redis hands entries out without
a partition key, so per-``congress_id`` order holds within each consumer only;
a handler running longer than ``claim_idle_ms`` may see its entry reclaimed by
another consumer (at-least-once); ``maxlen`` trims the stream approximately,
also entries a lagging group has not read yet.
"""
from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from redis.typing import EncodableT, FieldT

from ..aio import cancel_and_wait
from ..contracts.envelope import EventEnvelope
from .base import EventBus, Handler, dead_letter, dead_letter_topic, malformed_dead_letter

log = structlog.get_logger(__name__)

Entry = tuple[str, dict[str, str] | None]


@dataclass
class _Subscription:
    topic: str
    group: str
    handler: Handler
    consumer: str
    stream: str
    task: asyncio.Task[None] | None = None


def _entries(response: Any) -> list[Entry]:
    """The entries of an ``XREAD``/``XREADGROUP`` reply (RESP2 list or RESP3 map)."""
    if not response:
        return []
    batches = response.values() if isinstance(response, dict) else (batch for _, batch in response)
    out: list[Entry] = []
    for batch in batches:
        # RESP3 may nest the entries one level deeper
        out.extend(batch[0] if batch and isinstance(batch[0], list) else batch)
    return out


def _decode(fields: dict[str, str]) -> EventEnvelope:
    """The envelope of an entry; ``ValueError`` when it is missing or invalid."""
    raw = fields.get("envelope")
    if raw is None:
        raise ValueError("entry has no 'envelope' field")
    return EventEnvelope.from_json(raw)  # pydantic's ValidationError is a ValueError


def _malformed_dead_letter(fields: dict[str, str], *, group: str, error: BaseException) -> EventEnvelope:
    """A dead letter for an entry that does not hold a valid envelope."""
    return malformed_dead_letter(dict(fields), congress_id=fields.get("congress_id"), group=group, error=error)


class RedisStreamsBus(EventBus):
    """Event bus on Redis Streams (``redis.asyncio``)."""

    name = "redis"
    read_count = 10
    retry_backoff_s = 0.05
    max_backoff_s = 1.0
    error_pause_s = 1.0

    def __init__(self, url: str, *, consumer_name: str = "congress", max_attempts: int = 5,
                 stream_prefix: str = "events:", block_ms: int = 1000, claim_idle_ms: int = 30000,
                 maxlen: int | None = 1_000_000) -> None:
        super().__init__(max_attempts=max_attempts)
        self.stream_prefix = stream_prefix
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        self.maxlen = maxlen
        self._consumer_base = f"{consumer_name}-{os.getpid()}-{uuid4().hex[:8]}"
        self._redis: Redis = Redis.from_url(url, decode_responses=True)
        self._subscriptions: list[_Subscription] = []
        self._started = False

    def stream(self, topic: str) -> str:
        return f"{self.stream_prefix}{topic}"

    # -- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        self._started = True
        for sub in self._subscriptions:
            if sub.task is None:
                self._spawn(sub)

    async def stop(self) -> None:
        self._started = False
        running = [(sub, sub.task) for sub in self._subscriptions if sub.task is not None]
        await asyncio.gather(*(cancel_and_wait(task) for _, task in running))
        for sub, _ in running:
            sub.task = None
            await self._forget_consumer(sub)
        await self._redis.aclose()

    async def healthy(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    # -- publish / subscribe / listen ------------------------------------

    async def publish(self, topic: str, envelope: EventEnvelope) -> None:
        await self._redis.xadd(self.stream(topic), self._fields(envelope), maxlen=self.maxlen, approximate=True)

    def subscribe(self, topic: str, group: str, handler: Handler) -> None:
        consumer = f"{self._consumer_base}-{len(self._subscriptions)}"
        sub = _Subscription(topic, group, handler, consumer, self.stream(topic))
        self._subscriptions.append(sub)
        if self._started:
            self._spawn(sub)

    @asynccontextmanager
    async def listen(self, topic: str) -> AsyncIterator[AsyncIterator[EventEnvelope]]:
        stream = self.stream(topic)
        latest = await self._redis.xrevrange(stream, count=1)
        events = self._tail(stream, str(latest[0][0]) if latest else "0-0")
        try:
            yield events
        finally:
            await events.aclose()

    async def _tail(self, stream: str, last_id: str) -> AsyncGenerator[EventEnvelope, None]:
        while True:
            try:
                response = await self._redis.xread({stream: last_id}, count=100, block=max(self.block_ms, 1))
            except (RedisError, OSError) as exc:
                log.warning("bus.listen_failed", bus=self.name, stream=stream, error=str(exc))
                await asyncio.sleep(self.error_pause_s)
                continue
            for entry_id, fields in _entries(response):
                last_id = entry_id
                try:
                    yield _decode(fields or {})
                except ValueError as exc:
                    log.warning("bus.listen_malformed", bus=self.name, stream=stream, id=entry_id, error=str(exc))

    # -- consumer task ---------------------------------------------------

    def _spawn(self, sub: _Subscription) -> None:
        sub.task = asyncio.create_task(self._consume(sub), name=f"redis-bus:{sub.stream}:{sub.group}")

    async def _consume(self, sub: _Subscription) -> None:
        """Read, handle and acknowledge entries until cancelled; errors only pause it."""
        log.info("bus.consumer_started", bus=self.name, stream=sub.stream, group=sub.group, consumer=sub.consumer)
        need_group, next_claim = True, 0.0
        while True:
            try:
                if need_group:
                    await self._ensure_group(sub)
                    need_group = False
                if time.monotonic() >= next_claim:
                    await self._reclaim(sub)
                    next_claim = time.monotonic() + max(self.claim_idle_ms / 2000, 0.05)
                await self._read_new(sub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop must survive anything
                need_group = isinstance(exc, ResponseError) and "NOGROUP" in str(exc)
                log.warning("bus.consumer_error", bus=self.name, stream=sub.stream, group=sub.group, error=repr(exc))
                await asyncio.sleep(self.error_pause_s)

    async def _ensure_group(self, sub: _Subscription) -> None:
        try:
            await self._redis.xgroup_create(sub.stream, sub.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _read_new(self, sub: _Subscription) -> None:
        block = max(1, min(self.block_ms, self.claim_idle_ms))
        response = await self._redis.xreadgroup(sub.group, sub.consumer, {sub.stream: ">"},
                                                count=self.read_count, block=block)
        for entry_id, fields in _entries(response):
            await self._process(sub, entry_id, fields, delivered=1)

    async def _reclaim(self, sub: _Subscription) -> None:
        """Take over entries idle longer than ``claim_idle_ms`` (their consumer died)."""
        cursor = "0-0"
        while True:
            cursor, claimed, *_ = await self._redis.xautoclaim(
                sub.stream, sub.group, sub.consumer, self.claim_idle_ms, cursor, count=self.read_count)
            if claimed:
                log.info("bus.reclaimed", bus=self.name, stream=sub.stream, group=sub.group, count=len(claimed))
                counts = await self._delivery_counts(sub, [entry_id for entry_id, _ in claimed])
                for entry_id, fields in claimed:
                    await self._process(sub, entry_id, fields, delivered=counts.get(entry_id, 1))
            if cursor in ("0-0", "0"):
                return

    async def _delivery_counts(self, sub: _Subscription, ids: list[str]) -> dict[str, int]:
        pending = await self._redis.xpending_range(sub.stream, sub.group, ids[0], ids[-1], len(ids) * 2,
                                                   consumername=sub.consumer)
        return {str(item["message_id"]): int(item["times_delivered"]) for item in pending}

    # -- one entry -------------------------------------------------------

    async def _process(self, sub: _Subscription, entry_id: str, fields: dict[str, str] | None,
                       *, delivered: int) -> None:
        """Handle one entry whose delivery counter is ``delivered``."""
        if fields is None:  # deleted from the stream while pending
            await self._redis.xack(sub.stream, sub.group, entry_id)
            return
        try:
            envelope = _decode(fields)
        except ValueError as exc:
            await self._dead_letter(sub, entry_id, _malformed_dead_letter(fields, group=sub.group, error=exc))
            return
        if delivered > self.max_attempts:  # earlier consumers died while handling it
            error = f"delivered {delivered - 1} times without acknowledgement"
            await self._dead_letter(sub, entry_id, dead_letter(envelope, group=sub.group, error=error,
                                                                attempts=delivered - 1))
            return
        await self._handle(sub, entry_id, envelope, attempt=delivered)

    async def _handle(self, sub: _Subscription, entry_id: str, envelope: EventEnvelope, *, attempt: int) -> None:
        """Run the handler, retrying in place; ack on success, dead-letter at ``max_attempts``."""
        while True:
            try:
                await self.handle(sub.handler, envelope)
            except Exception as exc:  # noqa: BLE001 - any handler failure is retried
                log.warning("bus.handler_failed", bus=self.name, stream=sub.stream, group=sub.group,
                            id=entry_id, event_id=envelope.event_id, attempt=attempt, error=str(exc))
                if attempt >= self.max_attempts:
                    await self._dead_letter(sub, entry_id, dead_letter(envelope, group=sub.group, error=exc,
                                                                        attempts=attempt))
                    return
                if not await self._next_attempt(sub, entry_id, attempt + 1):
                    return
                attempt += 1
            else:
                await self._redis.xack(sub.stream, sub.group, entry_id)
                return

    async def _next_attempt(self, sub: _Subscription, entry_id: str, attempt: int) -> bool:
        """Back off, then record ``attempt`` in the delivery counter; False if the entry is gone."""
        await asyncio.sleep(min(self.retry_backoff_s * (attempt - 1), self.max_backoff_s))
        claimed = await self._redis.xclaim(sub.stream, sub.group, sub.consumer, 0, [entry_id],
                                           retrycount=attempt, justid=True)
        if not claimed:
            log.info("bus.retry_abandoned", bus=self.name, stream=sub.stream, group=sub.group, id=entry_id)
        return bool(claimed)

    async def _dead_letter(self, sub: _Subscription, entry_id: str, letter: EventEnvelope) -> None:
        """Write ``letter`` to the topic's dead-letter stream and ack the entry, atomically."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(self.stream(dead_letter_topic(sub.topic)), self._fields(letter),
                      maxlen=self.maxlen, approximate=True)
            pipe.xack(sub.stream, sub.group, entry_id)
            await pipe.execute()
        log.error("bus.dead_lettered", bus=self.name, stream=sub.stream, group=sub.group, id=entry_id,
                  error=letter.payload.get("error"))

    # -- helpers ---------------------------------------------------------

    @staticmethod
    def _fields(envelope: EventEnvelope) -> dict[FieldT, EncodableT]:
        return {"envelope": envelope.to_json(), "congress_id": envelope.congress_id}

    async def _forget_consumer(self, sub: _Subscription) -> None:
        """Drop this process's consumer from the group unless it still owns pending entries."""
        try:
            owned = await self._redis.xpending_range(sub.stream, sub.group, "-", "+", 1, consumername=sub.consumer)
            if not owned:
                await self._redis.xgroup_delconsumer(sub.stream, sub.group, sub.consumer)
        except (RedisError, OSError) as exc:
            log.debug("bus.forget_consumer_failed", bus=self.name, consumer=sub.consumer, error=str(exc))
