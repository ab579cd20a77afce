"""Kafka adapter specifics, each a regression test of a failure seen against a real Kafka-protocol broker (tansu)."""
from __future__ import annotations

import asyncio
import contextlib
import gc
import warnings
from uuid import uuid4

import pytest
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.partitioner import murmur2
from congress_common.bus.kafka import KafkaBus
from congress_common.settings import ServiceSettings

from congress_cli.live import free_port
from tests.conftest import Kafka
from tests.contract.test_event_bus_contract import Recorder, make_envelope

pytestmark = pytest.mark.timeout(90)


class UnclosedClients:
    """Collects aiokafka's "Unclosed AIOKafka…" reports (the loop's exception handler and ResourceWarnings)."""

    def __init__(self) -> None:
        self.reports: list[str] = []

    def __enter__(self) -> UnclosedClients:
        self.loop = asyncio.get_running_loop()
        self.previous = self.loop.get_exception_handler()
        self.loop.set_exception_handler(lambda _loop, context: self.reports.append(context.get("message", "")))
        self.warnings = warnings.catch_warnings(record=True)
        self.caught = self.warnings.__enter__()
        warnings.simplefilter("always", ResourceWarning)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.collect()
        self.reports += [str(w.message) for w in self.caught if issubclass(w.category, ResourceWarning)]
        self.warnings.__exit__(*exc)
        self.loop.set_exception_handler(self.previous)

    @property
    def unclosed(self) -> list[str]:
        return [r for r in self.reports if "Unclosed AIOKafka" in r]


def topic_name() -> str:
    return f"kafka-adapter.{uuid4().hex[:12]}"


async def create_topic(kafka: Kafka, name: str, partitions: int = 3) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        await admin.close()


def congress_on_partition(partition: int, partitions: int = 3) -> str:
    """A congress id whose key the default partitioner puts on ``partition``."""
    while True:
        congress_id = f"congress-{uuid4().hex[:8]}"
        if (murmur2(congress_id.encode()) & 0x7FFFFFFF) % partitions == partition:
            return congress_id


# -- (1) idempotence is a setting, on by default -------------------------------------


def test_idempotence_fetch_wait_and_session_timeout_are_settings(monkeypatch) -> None:
    defaults = ServiceSettings(bus="kafka", kafka_bootstrap_servers="127.0.0.1:9")
    bus = defaults.create_bus()
    assert isinstance(bus, KafkaBus)
    assert (bus.enable_idempotence, bus.fetch_max_wait_ms, bus.session_timeout_ms) == (True, 500, 10_000)
    monkeypatch.setenv("CONGRESS_KAFKA_IDEMPOTENCE", "false")
    monkeypatch.setenv("CONGRESS_KAFKA_FETCH_MAX_WAIT_MS", "20")
    monkeypatch.setenv("CONGRESS_KAFKA_SESSION_TIMEOUT_MS", "1500")
    bus = ServiceSettings(bus="kafka", kafka_bootstrap_servers="127.0.0.1:9").create_bus()
    assert (bus.enable_idempotence, bus.fetch_max_wait_ms, bus.session_timeout_ms) == (False, 20, 1500)


async def test_consumers_are_built_with_the_configured_fetch_wait_and_session_timeout() -> None:
    bus = KafkaBus("127.0.0.1:9", fetch_max_wait_ms=20, session_timeout_ms=1500)
    consumer = bus._consumer("t", group_id="g", auto_offset_reset="earliest")
    try:
        assert consumer._fetch_max_wait_ms == 20
        assert (consumer._session_timeout_ms, consumer._heartbeat_interval_ms) == (1500, 500)
    finally:
        await consumer.stop()


async def test_idempotent_producer_on_a_broker_without_it_fails_to_start_and_leaks_nothing(kafka) -> None:
    if kafka.tansu is None:
        pytest.skip("this broker has idempotent producers: only tansu refuses InitProducerId")
    bus = KafkaBus(kafka.bootstrap_servers, client_id=f"idem-{uuid4().hex[:6]}")  # the default: idempotence on
    with structlog.testing.capture_logs() as logs, UnclosedClients() as clients:
        with pytest.raises(KafkaError):
            await bus.start()
        await bus.stop()
    [failure] = [entry for entry in logs if entry["event"] == "bus.producer_start_failed"]
    assert "CONGRESS_KAFKA_IDEMPOTENCE=false" in failure["hint"]
    assert clients.unclosed == []


# -- (3) clients whose start() fails are closed ----------------------------------------


async def test_clients_whose_start_fails_are_closed() -> None:
    dead = f"127.0.0.1:{free_port()}"  # nothing listens there
    bus = KafkaBus(dead, client_id="dead-broker", enable_idempotence=False)
    handler = Recorder()
    bus.subscribe(topic_name(), "g", handler)
    with UnclosedClients() as clients:
        with pytest.raises(KafkaError):
            await bus.start()  # the producer cannot bootstrap
        with pytest.raises(KafkaError):
            async with bus.listen(topic_name()):
                pass
        for _ in range(3):  # what the consumer task's retry loop does
            with pytest.raises(KafkaError):
                await bus._session(bus._subscriptions[0])
        await bus.stop()
    assert clients.unclosed == [], f"leaked: {clients.unclosed}"
    assert handler.calls == []


# -- (2) a commit refused after a rebalance is skipped, not a consumer restart ---------


async def test_commit_of_a_partition_taken_away_is_logged_and_skipped(kafka) -> None:
    name = topic_name()
    await create_topic(kafka, name)
    bus = KafkaBus(kafka.bootstrap_servers, client_id="commit-test", **kafka.bus_options())
    await bus.start()
    await bus.publish(name, make_envelope(congress_on_partition(1)))
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=f"g-{uuid4().hex[:6]}",
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        everything = [TopicPartition(name, p) for p in range(3)]
        consumer.assign(everything)
        record = await asyncio.wait_for(consumer.getone(), 30)
        assert record.partition == 1
        consumer.assign([tp for tp in everything if tp.partition != record.partition])  # as a rebalance would
        with structlog.testing.capture_logs() as logs:
            await bus._commit(consumer, record)  # raised IllegalStateError, which restarted the whole consumer
        assert [e["event"] for e in logs] == ["bus.commit_failed"]
        assert "not assigned" in logs[0]["error"]
    finally:
        await consumer.stop()
        await bus.stop()


# -- (4) listen() taps every partition, or fails ----------------------------------------


async def test_listen_waits_for_slow_metadata_and_taps_every_partition(kafka) -> None:
    name = topic_name()
    bus = KafkaBus(kafka.bootstrap_servers, client_id="listen-test", **kafka.bus_options())
    bus._known_topics.add(name)  # the bus does not create it: the listener opens before the topic exists
    await bus.start()

    async def create_late() -> None:
        await asyncio.sleep(2.5)  # longer than the 2 s after which listen() used to tail partition 0 alone
        with contextlib.suppress(TopicAlreadyExistsError):  # brokers that auto-create topics made it already
            await create_topic(kafka, name)

    creating = asyncio.create_task(create_late())
    try:
        async with bus.listen(name) as events:
            await creating
            sent = [make_envelope(seq=i) for i in range(12)]  # 12 congresses: every partition gets some
            for envelope in sent:
                await bus.publish(name, envelope)
            got = [await asyncio.wait_for(anext(events), 30) for _ in sent]
    finally:
        await bus.stop()
    assert {e.event_id for e in got} == {e.event_id for e in sent}, "an event of some partition was not tapped"
