"""Several instances of one service on one PostgreSQL schema: migrations run once, one relay publishes at a time."""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from congress_checkin.adapters.orm import Base
from congress_checkin.bootstrap import MIGRATIONS
from congress_checkin.settings import CheckinSettings
from congress_common.bus import InProcessBus
from congress_common.contracts import CongressUpdated, EventEnvelope
from congress_common.db import create_engine
from congress_common.runtime import ServiceRuntime
from sqlalchemy import text

from tests.conftest import need_service

pytestmark = pytest.mark.timeout(60)


@pytest_asyncio.fixture
async def schema() -> AsyncIterator[tuple[str, str]]:
    url = need_service("DATABASE_URL", "PostgreSQL")
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield url, name
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    await engine.dispose()


class RecordingBus(InProcessBus):
    """Records what was published, in order, and how many publishes ran at once; ``gate`` holds them."""

    def __init__(self) -> None:
        super().__init__()
        self.published: list[EventEnvelope] = []
        self.in_flight = self.most_in_flight = 0
        self.gate = asyncio.Event()

    async def publish(self, topic: str, envelope: EventEnvelope) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.gate.wait()
            await asyncio.sleep(0.002)  # a broker round trip: the window in which another relay could overtake
            self.published.append(envelope)
        finally:
            self.in_flight -= 1


def instance(url: str, schema: str, bus: InProcessBus) -> ServiceRuntime:
    settings = CheckinSettings(database_url=url, database_schema=schema, outbox_poll_seconds=0.05)
    runtime = ServiceRuntime(settings=settings, metadata=Base.metadata, migrations_dir=MIGRATIONS, bus=bus, owns_bus=False)
    runtime.relay.batch_size = 5
    return runtime


async def test_instances_started_together_migrate_once(schema, caplog) -> None:
    url, name = schema
    caplog.set_level(logging.INFO, logger="alembic.runtime.migration")
    instances = [instance(url, name, InProcessBus()) for _ in range(3)]
    try:
        await asyncio.gather(*(runtime.start() for runtime in instances))  # raced on CREATE SCHEMA and the tables before the lock
        first = [r for r in caplog.records if "Running upgrade  -> 0001" in r.getMessage()]
        assert len(first) == 1, f"the first migration ran {len(first)} times"
        async with instances[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert len(versions) == 1
    finally:
        await asyncio.gather(*(runtime.stop() for runtime in instances))


async def test_one_relay_publishes_at_a_time_so_a_congress_keeps_its_order(schema) -> None:
    url, name = schema
    bus = RecordingBus()
    instances = [instance(url, name, bus) for _ in range(2)]
    for runtime in instances:
        await runtime.start()
    try:
        emitted = []
        for i in range(40):  # one congress, its changes made alternately through both instances
            async with instances[i % 2].unit_of_work() as uow:
                emitted.append((await uow.emit(CongressUpdated(congress_id="c-1", name=f"Đại hội lần {i}",
                                                               level="province"), congress_id="c-1")).event_id)
                await uow.commit()
        await asyncio.sleep(0.3)  # both relays have woken up and found pending rows
        bus.gate.set()
        async with asyncio.timeout(20):
            while len(bus.published) < len(emitted):
                await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # nothing more comes
    finally:
        for runtime in instances:
            await runtime.stop()
    assert bus.most_in_flight == 1, "two relays published at the same time"
    assert [e.event_id for e in bus.published] == emitted, "the congress's events were published out of order or twice"
