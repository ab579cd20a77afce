"""Transactional outbox, its relay, and idempotent consumption.

A state change and the events it causes commit in one transaction (the
``outbox`` table). The relay publishes pending rows in order and marks them
published only after the bus accepted them; a crash in between means the row
is published again later, and consumers skip event ids they already
processed (the ``processed_events`` table, written in the consumer's own
transaction). Several instances of a service may share one database: on
PostgreSQL only one relay publishes at a time (an advisory lock held for the
whole batch), so a congress's events keep their order.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from prometheus_client import Counter, Gauge
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .aio import cancel_and_wait
from .bus.base import EventBus, RetryLater
from .contracts.envelope import EventEnvelope, IntegrationEvent, utcnow
from .db import advisory_lock_key, database_unavailable, is_sqlite

log = structlog.get_logger(__name__)

PUBLISHED = Counter("congress_outbox_published_total", "Events published from the outbox", ["service"])
PUBLISH_FAILURES = Counter("congress_outbox_publish_failures_total", "Failed outbox publish attempts", ["service"])
PENDING = Gauge("congress_outbox_pending", "Outbox rows not yet published", ["service"])
CONSUMED = Counter("congress_events_consumed_total", "Events handled by consumers", ["service", "type"])
DUPLICATES = Counter("congress_events_duplicate_total", "Redelivered events skipped", ["service"])


def define_outbox_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add the ``outbox`` and ``processed_events`` tables to a service's metadata."""
    outbox = Table(
        "outbox", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(120), nullable=False),
        Column("congress_id", String(36), nullable=False),
        Column("type", String(120), nullable=False),
        Column("envelope", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True, index=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    )
    processed = Table(
        "processed_events", metadata,
        Column("consumer", String(120), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    return outbox, processed


class Outbox:
    """Stages events inside a session's transaction and wakes the relay after commit."""

    def __init__(self, table: Table, producer: str) -> None:
        self.table = table
        self.producer = producer
        self._wake = asyncio.Event()

    async def stage(self, session: AsyncSession, event: IntegrationEvent, *, congress_id: str,
                    correlation_id: str | None = None) -> EventEnvelope:
        envelope = EventEnvelope.wrap(event, congress_id=congress_id, producer=self.producer,
                                      correlation_id=correlation_id)
        await session.execute(insert(self.table).values(
            event_id=envelope.event_id, topic=event.TOPIC, congress_id=congress_id, type=envelope.type,
            envelope=envelope.to_json(), created_at=envelope.occurred_at, attempts=0,
        ))
        return envelope

    def notify(self) -> None:
        self._wake.set()

    async def wait(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass
        self._wake.clear()


class OutboxRelay:
    """Publishes pending outbox rows in order; retries with back-off; never drops a row."""

    busy_retry_s = 0.05  # another instance's relay holds the lock: try again this soon

    def __init__(self, outbox: Outbox, sessionmaker: async_sessionmaker[AsyncSession], bus: EventBus, *,
                 batch_size: int = 200, poll_seconds: float = 1.0, lock_name: str | None = None) -> None:
        self.outbox, self.sessionmaker, self.bus = outbox, sessionmaker, bus
        self.batch_size, self.poll_seconds = batch_size, poll_seconds
        self.lock_key = advisory_lock_key("outbox-relay", lock_name or outbox.producer)
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self.failures_in_a_row = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.outbox.producer}")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            try:
                sent = await self.drain()
                self.failures_in_a_row = 0
            except Exception as exc:  # noqa: BLE001 - keep relaying whatever happens
                self.failures_in_a_row += 1
                log.warning("outbox.relay_error", service=self.outbox.producer, error=str(exc))
                sent = 0
                await asyncio.sleep(min(0.1 * 2 ** self.failures_in_a_row, 5.0))
            if sent is None:
                await self.outbox.wait(self.busy_retry_s)
            elif sent < self.batch_size:
                await self.outbox.wait(self.poll_seconds)

    async def drain(self) -> int | None:
        """Publish one batch of pending rows in order; return how many were published, ``None`` when
        another instance's relay is publishing (PostgreSQL).

        Rows are marked in one UPDATE after the batch, so on SQLite no write
        lock is held while the bus delivers. On PostgreSQL the batch runs under
        a transaction-level advisory lock: relays of instances sharing the
        database take turns, always from the oldest pending row, so they never
        publish the same row twice nor a congress's rows out of order.
        A failed publish stops the batch (order is kept) and is recorded.
        """
        async with self._lock, self.sessionmaker() as session, session.begin():
            if not await self._take_turn(session):
                return None
            rows = (await session.execute(self._pending_query())).all()
            PENDING.labels(self.outbox.producer).set(len(rows))
            published, failure = await self._publish_rows(rows)
            await self._mark(session, published, failure)
        if failure is not None:
            raise RuntimeError(f"publishing outbox row {failure[0]} failed: {failure[1]}")
        return len(published)

    async def _take_turn(self, session: AsyncSession) -> bool:
        if is_sqlite(str(session.bind.url)):
            return True  # one process per SQLite file (the embedded run)
        return bool(await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": self.lock_key}))

    def _pending_query(self):
        table = self.outbox.table
        return (select(table.c.id, table.c.topic, table.c.envelope)
                .where(table.c.published_at.is_(None)).order_by(table.c.id).limit(self.batch_size))

    async def _publish_rows(self, rows) -> tuple[list[int], tuple[int, str] | None]:
        published: list[int] = []
        for row in rows:
            try:
                await self.bus.publish(row.topic, EventEnvelope.from_json(row.envelope))
            except Exception as exc:  # noqa: BLE001 - recorded on the row, retried later
                PUBLISH_FAILURES.labels(self.outbox.producer).inc()
                return published, (row.id, f"{type(exc).__name__}: {exc}")
            published.append(row.id)
        return published, None

    async def _mark(self, session: AsyncSession, published: list[int], failure: tuple[int, str] | None) -> None:
        table = self.outbox.table
        if published:
            await session.execute(update(table).where(table.c.id.in_(published)).values(
                published_at=utcnow(), attempts=table.c.attempts + 1, last_error=None))
            PUBLISHED.labels(self.outbox.producer).inc(len(published))
        if failure is not None:
            await session.execute(update(table).where(table.c.id == failure[0]).values(
                attempts=table.c.attempts + 1, last_error=failure[1]))


ConsumerFn = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]


class IdempotentConsumer:
    """Runs a handler at most once per (consumer, event_id), in the handler's own transaction."""

    def __init__(self, name: str, processed: Table, sessionmaker: async_sessionmaker[AsyncSession],
                 handler: ConsumerFn, *, service: str = "") -> None:
        self.name, self.processed, self.sessionmaker, self.handler = name, processed, sessionmaker, handler
        self.service = service or name

    async def __call__(self, envelope: EventEnvelope) -> None:
        """Claim the event id, then handle, in one transaction.

        The claim comes first so that a concurrent redelivery waits on the
        unique key and then finds the event processed, without running the
        handler; a failing handler rolls the claim back for a later retry.
        The database being away is ``RetryLater``: the bus waits for it
        without counting attempts, so an outage dead-letters nothing.
        """
        try:
            async with self.sessionmaker() as session:
                try:
                    async with session.begin():
                        await session.execute(insert(self.processed).values(
                            consumer=self.name, event_id=envelope.event_id, processed_at=utcnow()))
                        await session.flush()
                        await self.handler(session, envelope)
                except IntegrityError:
                    if not await self._already_processed(envelope.event_id):
                        raise
                    DUPLICATES.labels(self.service).inc()
                    return
        except Exception as exc:
            if database_unavailable(exc):  # not the event's fault: the bus waits and retries, uncounted
                raise RetryLater(f"{self.service}: database unavailable: {type(exc).__name__}: {exc}") from exc
            raise
        CONSUMED.labels(self.service, envelope.type).inc()

    async def _already_processed(self, event_id: str) -> bool:
        table = self.processed
        async with self.sessionmaker() as session:
            return await session.scalar(select(table.c.event_id).where(
                table.c.consumer == self.name, table.c.event_id == event_id)) is not None
