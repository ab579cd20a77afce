"""No event is lost and none counted twice: outbox + relay + idempotent consumers, on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio

from congress_checkin.adapters.orm import OUTBOX, Base
from congress_checkin.bootstrap import MIGRATIONS
from congress_checkin.settings import CheckinSettings
from congress_common.bus import InProcessBus
from congress_common.contracts import CongressCreated, EventEnvelope
from congress_common.outbox import IdempotentConsumer, OutboxRelay
from congress_common.runtime import ServiceRuntime
from sqlalchemy import func, select


class FlakyBus(InProcessBus):
    """Refuses to publish while ``down`` is set, like a broker outage."""

    down = False

    async def publish(self, topic: str, envelope: EventEnvelope) -> None:
        if self.down:
            raise ConnectionError("broker unreachable")
        await super().publish(topic, envelope)


async def start_runtime(database, bus) -> ServiceRuntime:
    settings = CheckinSettings(database_url=database.url, database_schema=database.schema, outbox_poll_seconds=0.05)
    runtime = ServiceRuntime(settings=settings, metadata=Base.metadata, migrations_dir=MIGRATIONS, bus=bus, owns_bus=True)
    await runtime.start()
    return runtime


async def emit_congresses(runtime: ServiceRuntime, names: list[str]) -> list[str]:
    ids = []
    for name in names:
        async with runtime.unit_of_work() as uow:
            envelope = await uow.emit(CongressCreated(congress_id=name, name=name, level="province"), congress_id=name)
            await uow.commit()
            ids.append(envelope.event_id)
    return ids


async def pending(runtime: ServiceRuntime) -> int:
    async with runtime.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(OUTBOX).where(OUTBOX.c.published_at.is_(None)))


async def wait_for(predicate, timeout: float = 5.0) -> None:
    async def loop() -> None:
        while not await predicate():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(loop(), timeout)


async def test_crash_between_commit_and_publish_loses_nothing(database):
    bus = FlakyBus()
    received: list[str] = []

    async def record(envelope: EventEnvelope) -> None:
        received.append(envelope.event_id)

    bus.subscribe("congress.checkin", "probe", record)
    runtime = await start_runtime(database, bus)
    await runtime.relay.stop()  # the process "dies" before its relay publishes
    ids = await emit_congresses(runtime, ["c1", "c2", "c3"])
    assert await pending(runtime) == 3 and received == []
    await runtime.stop()

    restarted = await start_runtime(database, bus)  # the next start publishes what was left
    await wait_for(lambda: _true(len(received) == 3))
    assert received == ids
    assert await pending(restarted) == 0
    await restarted.stop()


async def _true(value: bool) -> bool:
    return value


async def test_broker_outage_keeps_rows_and_order(database):
    bus = FlakyBus()
    received: list[str] = []

    async def record(envelope: EventEnvelope) -> None:
        received.append(envelope.payload["name"])

    bus.subscribe("congress.checkin", "probe", record)
    runtime = await start_runtime(database, bus)
    bus.down = True
    await emit_congresses(runtime, [f"c{i}" for i in range(5)])
    await asyncio.sleep(0.3)
    assert received == [] and await pending(runtime) == 5
    async with runtime.sessionmaker() as session:
        errors = (await session.execute(select(OUTBOX.c.attempts, OUTBOX.c.last_error).order_by(OUTBOX.c.id))).all()
    assert errors[0].attempts >= 1 and "broker unreachable" in errors[0].last_error
    bus.down = False
    await wait_for(lambda: _true(len(received) == 5))
    assert received == [f"c{i}" for i in range(5)]
    await runtime.stop()


async def test_redelivery_is_applied_once(database):
    bus = InProcessBus()
    runtime = await start_runtime(database, bus)
    applied: list[str] = []

    async def handler(session, envelope: EventEnvelope) -> None:
        applied.append(envelope.event_id)

    consumer = IdempotentConsumer("probe", runtime.processed_table, runtime.sessionmaker, handler)
    envelope = EventEnvelope.wrap(CongressCreated(congress_id="c", name="c", level="province"),
                                  congress_id="c", producer="test")
    await asyncio.gather(*(consumer(envelope) for _ in range(5)))
    await consumer(envelope)
    assert applied == [envelope.event_id]
    await runtime.stop()


async def test_publish_then_crash_before_marking_is_deduplicated(database):
    """The bus accepted the event but the row was not marked: it is sent again and applied once."""
    bus = InProcessBus()
    runtime = await start_runtime(database, bus)
    await runtime.relay.stop()
    applied: list[str] = []

    async def handler(session, envelope: EventEnvelope) -> None:
        applied.append(envelope.event_id)

    bus.subscribe("congress.checkin", "probe",
                  IdempotentConsumer("probe", runtime.processed_table, runtime.sessionmaker, handler))
    (event_id,) = await emit_congresses(runtime, ["c1"])
    async with runtime.sessionmaker() as session:
        raw = await session.scalar(select(OUTBOX.c.envelope))
    await bus.publish("congress.checkin", EventEnvelope.from_json(raw))  # published, then the process died
    relay = OutboxRelay(runtime.outbox, runtime.sessionmaker, bus)
    assert await relay.drain() == 1
    assert applied == [event_id]
    await runtime.stop()


async def test_database_away_while_consuming_waits_instead_of_dead_lettering(database):
    """A consumer whose database refuses connections (as asyncpg does while PostgreSQL is down) is retried,
    uncounted, past max_attempts; nothing goes to the dead-letter topic and the event is applied once."""
    bus = InProcessBus(max_attempts=3)
    bus.retry_later_s = (0.01, 0.02)
    runtime = await start_runtime(database, bus)
    applied: list[str] = []
    refusals = 0

    async def handler(session, envelope: EventEnvelope) -> None:
        nonlocal refusals
        if refusals < 8:  # more than max_attempts
            refusals += 1
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        applied.append(envelope.event_id)

    dead: list[EventEnvelope] = []

    async def record_dead(envelope: EventEnvelope) -> None:
        dead.append(envelope)

    bus.subscribe("congress.checkin", "probe",
                  IdempotentConsumer("probe", runtime.processed_table, runtime.sessionmaker, handler))
    bus.subscribe("congress.checkin.dlq", "dlq", record_dead)
    (event_id,) = await emit_congresses(runtime, ["c1"])
    await wait_for(lambda: _true(applied == [event_id]))
    assert refusals == 8 and dead == []
    await runtime.stop()
