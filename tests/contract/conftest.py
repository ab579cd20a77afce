"""Fixtures of the event-bus contract: one bus factory per reachable adapter.

* ``inprocess`` always runs.
* ``redis`` runs when ``REDIS_URL`` is set; otherwise it is skipped, except
  under ``CI=true`` where the missing Redis fails the run.
* ``kafka`` runs against ``KAFKA_BOOTSTRAP_SERVERS``, a throw-away
  ``testcontainers`` Kafka where Docker works, or else the bundled tansu
  (``tests.conftest.kafka``); skipped only outside CI when none is there.

Every test gets its own topic, group suffix and Redis stream prefix, and its
buses are stopped and its Redis keys / Kafka topics removed afterwards.
"""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

import pytest
import pytest_asyncio
from congress_common.bus import EventBus, InProcessBus, dead_letter_topic
from redis.asyncio import Redis

from tests.conftest import Kafka, need_service

BACKENDS = ["inprocess", "redis", "kafka"]


@dataclass(frozen=True)
class Backend:
    """Which adapter to build and where its server is."""

    name: str
    address: str | None = None
    kafka: Kafka | None = None


def _redis_url() -> str:
    return need_service("REDIS_URL", "redis: the Redis Streams adapter")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "redis":
        return Backend("redis", _redis_url())
    if request.param == "kafka":
        kafka: Kafka = request.getfixturevalue("kafka")
        return Backend("kafka", kafka.bootstrap_servers, kafka)
    return Backend("inprocess")


class BusFactory:
    """Builds buses of one adapter that share this test's topic namespace."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend.name
        self.address = backend.address
        self.kafka = backend.kafka
        self.run_id = uuid4().hex[:12]
        self.prefix = f"test:{uuid4()}:"
        self.topic = f"contract.{self.run_id}"
        self.buses: list[EventBus] = []
        self.raw: Redis | None = None
        if self.backend == "redis":
            self.raw = Redis.from_url(self.address, decode_responses=True)

    @property
    def durable(self) -> bool:
        return self.backend != "inprocess"

    @property
    def timeout(self) -> float:
        """Upper bound for one expected delivery (Kafka group joins are slow)."""
        return 30.0 if self.backend == "kafka" else 5.0

    @property
    def settle(self) -> float:
        """How long to wait before asserting that nothing more arrives."""
        return 1.0 if self.backend == "kafka" else 0.3

    def group(self, name: str) -> str:
        return f"{name}.{self.run_id}"

    def make(self, *, max_attempts: int = 5, claim_idle_ms: int = 30_000) -> EventBus:
        bus = self._build(max_attempts=max_attempts, claim_idle_ms=claim_idle_ms)
        self.buses.append(bus)
        return bus

    def _build(self, *, max_attempts: int, claim_idle_ms: int) -> EventBus:
        if self.backend == "redis":
            from congress_common.bus.redis_streams import RedisStreamsBus

            assert self.address
            return RedisStreamsBus(self.address, consumer_name="contract", max_attempts=max_attempts,
                                   stream_prefix=self.prefix, block_ms=200, claim_idle_ms=claim_idle_ms)
        if self.backend == "kafka":
            from congress_common.bus.kafka import KafkaBus

            assert self.kafka
            return KafkaBus(self.address, client_id=f"contract-{self.run_id}", max_attempts=max_attempts,
                            **self.kafka.bus_options())
        return InProcessBus(max_attempts=max_attempts, retry_delay=0.001)

    async def close(self) -> None:
        for bus in self.buses:
            await bus.stop()
        if self.raw is not None:
            keys = [key async for key in self.raw.scan_iter(match=f"{self.prefix}*")]
            if keys:
                await self.raw.delete(*keys)
            await self.raw.aclose()
        if self.backend == "kafka":
            await self._delete_kafka_topics()

    async def _delete_kafka_topics(self) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        dlq = dead_letter_topic(self.topic)
        admin = AIOKafkaAdminClient(bootstrap_servers=self.address)
        with contextlib.suppress(Exception):
            await admin.start()
            await admin.delete_topics([self.topic, dlq, dead_letter_topic(dlq)])
        with contextlib.suppress(Exception):
            await admin.close()


@pytest_asyncio.fixture
async def buses(backend: Backend) -> AsyncIterator[BusFactory]:
    """A bus factory, once per reachable adapter."""
    factory = BusFactory(backend)
    try:
        yield factory
    finally:
        await factory.close()


@pytest_asyncio.fixture
async def redis_buses() -> AsyncIterator[BusFactory]:
    """A Redis-only bus factory, for the Redis-specific cases."""
    factory = BusFactory(Backend("redis", _redis_url()))
    try:
        yield factory
    finally:
        await factory.close()

