"""Kafka adapter (aiokafka): topics, consumer groups, manual commits and dead letters.

* ``publish`` sends the envelope JSON (``acks="all"``) keyed by
  ``congress_id``, so one congress always lands on one partition and keeps its
  order; it returns once the broker acknowledged. The producer is idempotent
  unless ``enable_idempotence=False`` (for brokers without InitProducerId,
  such as tansu): safe because every publish awaits its send (one record in
  flight, so a retry cannot overtake) and consumers skip event ids they saw.
* ``subscribe`` runs one ``AIOKafkaConsumer`` per subscription (``group_id`` =
  group, no auto-commit, ``earliest`` for a new group). Records are handled
  one after the other and the offset of a record's partition is committed
  only after its handler returned. A commit refused because a rebalance
  took the partition away (``CommitFailedError``, ``IllegalStateError``) is
  logged and skipped: the partition's new owner gets the record again.
* A failing handler is retried in place with a short backoff; after
  ``max_attempts`` a ``bus.dead_letter`` envelope goes to
  ``dead_letter_topic(topic)`` and the record is committed. Records that are
  not a valid envelope are dead-lettered at once.
* ``listen`` is a group-less consumer positioned at the end of every
  partition when it opens; it waits for the topic's metadata (up to
  ``metadata_timeout_s``) and fails rather than tail some partitions only.
* ``fetch_max_wait_ms`` bounds how long the broker may hold a fetch that has
  no data (Kafka's default 500 ms; tansu holds multi-partition fetches that
  long even when data arrives, so the bundled broker runs with a lower value).
* ``session_timeout_ms`` is how long the group waits for a silent member
  before giving its partitions to the others (heartbeats every third of it);
  tansu also waits that long before a restarted member may rejoin.
* A client whose ``start()`` fails is closed before the error propagates.

Topics are created when missing (best effort, ``num_partitions`` /
``replication_factor`` below); provision production topics explicitly.
The retry count lives in memory: after a crash a record starts again at
attempt one (Kafka has no delivery counter).
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from ..aio import cancel_and_wait
from ..contracts.envelope import EventEnvelope
from .base import EventBus, Handler, dead_letter, dead_letter_topic, malformed_dead_letter

log = structlog.get_logger(__name__)


@dataclass
class _Subscription:
    topic: str
    group: str
    handler: Handler
    task: asyncio.Task[None] | None = None


def _decode(record: ConsumerRecord[Any, Any]) -> EventEnvelope:
    """The envelope of a record; ``ValueError`` when it is missing or invalid."""
    if record.value is None:
        raise ValueError("record has no value")
    return EventEnvelope.from_json(record.value)  # pydantic's ValidationError is a ValueError


def _malformed_dead_letter(record: ConsumerRecord[Any, Any], *, group: str, error: BaseException) -> EventEnvelope:
    """A dead letter for a record that does not hold a valid envelope."""
    key = record.key.decode(errors="replace") if record.key else ""
    value = record.value.decode(errors="replace") if record.value else None
    raw = {"key": key, "value": value, "partition": record.partition, "offset": record.offset}
    return malformed_dead_letter(raw, congress_id=key, group=group, error=error)


async def _start_or_close(client: AIOKafkaProducer | AIOKafkaConsumer) -> None:
    """Start an aiokafka client; if that fails, close it (its connections and tasks) before re-raising."""
    try:
        await client.start()
    except BaseException:
        with suppress(Exception):
            await client.stop()
        raise


class KafkaBus(EventBus):
    """Event bus on Apache Kafka."""

    name = "kafka"
    num_partitions = 3
    replication_factor = 1
    retry_backoff_s = 0.05
    max_backoff_s = 1.0
    error_pause_s = 1.0
    metadata_timeout_s = 10.0

    def __init__(self, bootstrap_servers: str, *, client_id: str = "congress", max_attempts: int = 5,
                 topic_prefix: str = "", enable_idempotence: bool = True, fetch_max_wait_ms: int = 500,
                 session_timeout_ms: int = 10_000) -> None:
        super().__init__(max_attempts=max_attempts)
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self.topic_prefix = topic_prefix
        self.enable_idempotence = enable_idempotence
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self.session_timeout_ms = session_timeout_ms
        self._producer: AIOKafkaProducer | None = None
        self._producer_lock = asyncio.Lock()
        self._known_topics: set[str] = set()
        self._subscriptions: list[_Subscription] = []
        self._started = False

    def kafka_topic(self, topic: str) -> str:
        return f"{self.topic_prefix}{topic}"

    # -- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        await self._get_producer()
        self._started = True
        for sub in self._subscriptions:
            if sub.task is None:
                self._spawn(sub)

    async def stop(self) -> None:
        self._started = False
        await asyncio.gather(*(cancel_and_wait(sub.task) for sub in self._subscriptions if sub.task is not None))
        for sub in self._subscriptions:
            sub.task = None
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def healthy(self) -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id=self.client_id)
        try:
            await admin.start()
            await admin.list_topics()
            return True
        except (KafkaError, OSError):
            return False
        finally:
            with suppress(Exception):
                await admin.close()

    # -- publish / subscribe / listen ------------------------------------

    async def publish(self, topic: str, envelope: EventEnvelope) -> None:
        await self._send(self.kafka_topic(topic), envelope)

    def subscribe(self, topic: str, group: str, handler: Handler) -> None:
        sub = _Subscription(topic, group, handler)
        self._subscriptions.append(sub)
        if self._started:
            self._spawn(sub)

    @asynccontextmanager
    async def listen(self, topic: str) -> AsyncIterator[AsyncIterator[EventEnvelope]]:
        name = self.kafka_topic(topic)
        await self._ensure_topics(name)
        consumer = self._consumer(group_id=None, auto_offset_reset="latest")
        await _start_or_close(consumer)
        events = None
        try:
            await self._assign_at_end(consumer, name)
            events = self._tail(consumer)
            yield events
        finally:
            if events is not None:
                await events.aclose()
            await consumer.stop()

    async def _assign_at_end(self, consumer: AIOKafkaConsumer, name: str) -> None:
        """Take every partition of ``name`` and fix the positions at their current ends.

        A group-less subscription makes the client fetch the topic's metadata
        and assign all its partitions (also ones added later); a just-created
        topic takes a moment to show up, so wait for it, and fail when it does
        not come: tailing a guessed partition would drop the others' events
        without a word.
        """
        consumer.subscribe([name])
        deadline = asyncio.get_running_loop().time() + self.metadata_timeout_s
        while not consumer.assignment():
            if asyncio.get_running_loop().time() > deadline:
                raise KafkaError(f"no partitions of {name} in the metadata after {self.metadata_timeout_s} s")
            await asyncio.sleep(0.05)
        assigned = sorted(consumer.assignment())
        await consumer.seek_to_end(*assigned)
        for tp in assigned:
            await consumer.position(tp)

    async def _tail(self, consumer: AIOKafkaConsumer) -> AsyncGenerator[EventEnvelope, None]:
        async for record in consumer:
            try:
                yield _decode(record)
            except ValueError as exc:
                log.warning("bus.listen_malformed", bus=self.name, topic=record.topic, offset=record.offset,
                            error=str(exc))

    # -- consumer task ---------------------------------------------------

    def _spawn(self, sub: _Subscription) -> None:
        sub.task = asyncio.create_task(self._consume(sub), name=f"kafka-bus:{sub.topic}:{sub.group}")

    async def _consume(self, sub: _Subscription) -> None:
        """Run a consumer session until cancelled; failures restart it after a pause."""
        while True:
            try:
                await self._session(sub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop must survive anything
                log.warning("bus.consumer_error", bus=self.name, topic=sub.topic, group=sub.group, error=repr(exc))
                await asyncio.sleep(self.error_pause_s)

    async def _session(self, sub: _Subscription) -> None:
        name = self.kafka_topic(sub.topic)
        await self._ensure_topics(name, self.kafka_topic(dead_letter_topic(sub.topic)))
        consumer = self._consumer(name, group_id=sub.group, auto_offset_reset="earliest")
        await _start_or_close(consumer)
        log.info("bus.consumer_started", bus=self.name, topic=name, group=sub.group)
        try:
            async for record in consumer:
                await self._process(sub, record)
                await self._commit(consumer, record)
        finally:
            await consumer.stop()

    async def _commit(self, consumer: AIOKafkaConsumer, record: ConsumerRecord[Any, Any]) -> None:
        try:
            await consumer.commit({TopicPartition(record.topic, record.partition): record.offset + 1})
        except (CommitFailedError, IllegalStateError) as exc:  # rebalanced: the new owner gets the record again
            log.warning("bus.commit_failed", bus=self.name, topic=record.topic, partition=record.partition,
                        offset=record.offset, error=str(exc))

    # -- one record ------------------------------------------------------

    async def _process(self, sub: _Subscription, record: ConsumerRecord[Any, Any]) -> None:
        """Handle one record with retries; dead-letter it when it cannot be handled."""
        try:
            envelope = _decode(record)
        except ValueError as exc:
            await self._dead_letter(sub, _malformed_dead_letter(record, group=sub.group, error=exc))
            return
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self.handle(sub.handler, envelope)
                return
            except Exception as exc:  # noqa: BLE001 - any handler failure is retried
                log.warning("bus.handler_failed", bus=self.name, topic=sub.topic, group=sub.group,
                            event_id=envelope.event_id, attempt=attempt, error=str(exc))
                if attempt == self.max_attempts:
                    await self._dead_letter(sub, dead_letter(envelope, group=sub.group, error=exc, attempts=attempt))
                    return
                await asyncio.sleep(min(self.retry_backoff_s * attempt, self.max_backoff_s))

    async def _dead_letter(self, sub: _Subscription, letter: EventEnvelope) -> None:
        await self._send(self.kafka_topic(dead_letter_topic(sub.topic)), letter)
        log.error("bus.dead_lettered", bus=self.name, topic=sub.topic, group=sub.group,
                  error=letter.payload.get("error"))

    # -- producer and topics ---------------------------------------------

    async def _send(self, name: str, envelope: EventEnvelope) -> None:
        await self._ensure_topics(name)
        producer = await self._get_producer()
        await producer.send_and_wait(name, value=envelope.to_json().encode(), key=envelope.congress_id.encode())

    async def _get_producer(self) -> AIOKafkaProducer:
        async with self._producer_lock:
            if self._producer is None:
                producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap_servers, client_id=self.client_id,
                                            acks="all", enable_idempotence=self.enable_idempotence)
                try:
                    await _start_or_close(producer)
                except KafkaError as exc:
                    if self.enable_idempotence:
                        log.error("bus.producer_start_failed", bus=self.name, error=repr(exc),
                                  hint="a broker without idempotent producers (tansu) needs "
                                       "CONGRESS_KAFKA_IDEMPOTENCE=false")
                    raise
                self._producer = producer
            return self._producer

    def _consumer(self, *topics: str, group_id: str | None, auto_offset_reset: str) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(*topics, bootstrap_servers=self.bootstrap_servers, client_id=self.client_id,
                                group_id=group_id, enable_auto_commit=False, auto_offset_reset=auto_offset_reset,
                                fetch_max_wait_ms=self.fetch_max_wait_ms, session_timeout_ms=self.session_timeout_ms,
                                heartbeat_interval_ms=max(100, self.session_timeout_ms // 3))

    async def _ensure_topics(self, *names: str) -> None:
        """Create the topics not seen yet; best effort (existing topics and errors are ignored)."""
        missing = [name for name in names if name not in self._known_topics]
        if not missing:
            return
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id=self.client_id)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            new = [NewTopic(n, self.num_partitions, self.replication_factor) for n in missing if n not in existing]
            if new:
                await admin.create_topics(new)
                log.info("bus.topics_created", bus=self.name, topics=[t.name for t in new])
            self._known_topics.update(missing)
        except Exception as exc:  # noqa: BLE001 - creation is best effort
            log.warning("bus.topic_create_failed", bus=self.name, topics=missing, error=repr(exc))
        finally:
            with suppress(Exception):
                await admin.close()
