"""The wiring every service shares: database, outbox relay, idempotent subscriptions, health."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncSession

from .bus.base import EventBus
from .contracts.envelope import EventEnvelope, IntegrationEvent
from .db import create_engine, create_sessionmaker, upgrade_database
from .outbox import ConsumerFn, IdempotentConsumer, Outbox, OutboxRelay, define_outbox_tables
from .pdf import PdfRenderer, ProcessPoolRenderer
from .settings import ServiceSettings
from .web import current_request_id, install_common

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Subscription:
    topic: str
    handler: ConsumerFn


class BackgroundTask(Protocol):
    """Something a service runs beside its relay (a scheduler...): started after migrations, stopped first."""

    async def start(self, runtime: ServiceRuntime) -> None: ...

    async def stop(self) -> None: ...


class UnitOfWork:
    """One transaction: state changes plus the events they cause, committed together."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self.session: AsyncSession = runtime.sessionmaker()
        self.events: list[EventEnvelope] = []

    async def emit(self, event: IntegrationEvent, *, congress_id: str) -> EventEnvelope:
        envelope = await self.runtime.outbox.stage(
            self.session, event, congress_id=congress_id, correlation_id=current_request_id())
        self.events.append(envelope)
        return envelope

    async def commit(self) -> None:
        await self.session.commit()
        if self.events:
            self.runtime.outbox.notify()

    async def rollback(self) -> None:
        await self.session.rollback()
        self.events.clear()


class ServiceRuntime:
    """Owns a service's engine, outbox relay and bus subscriptions."""

    def __init__(self, *, settings: ServiceSettings, metadata: MetaData, migrations_dir: Path, bus: EventBus,
                 owns_bus: bool, subscriptions: list[Subscription] | None = None,
                 tasks: list[BackgroundTask] | None = None) -> None:
        self.name = settings.service_name
        self.settings, self.bus, self.owns_bus = settings, bus, owns_bus
        self.migrations_dir = migrations_dir
        self.outbox_table, self.processed_table = metadata.tables["outbox"], metadata.tables["processed_events"]
        self.engine = create_engine(settings.effective_database_url, schema=settings.database_schema)
        self.sessionmaker = create_sessionmaker(self.engine)
        self.outbox = Outbox(self.outbox_table, producer=self.name)
        # one relay at a time per outbox table: the lock is named by the schema that holds it
        self.relay = OutboxRelay(self.outbox, self.sessionmaker, bus, poll_seconds=settings.outbox_poll_seconds,
                                 lock_name=f"{settings.database_schema or 'public'}.{self.name}")
        self.subscriptions = subscriptions or []
        self.tasks = tasks or []
        self.pdf: PdfRenderer = ProcessPoolRenderer(settings.pdf_font_dir, workers=settings.pdf_workers)
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self.ready = False

    def on_stop(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Run ``closer`` when the service stops (worker pools a service adds, e.g. the face engine's)."""
        self._closers.append(closer)

    async def start(self) -> None:
        if self.owns_bus:
            await self.bus.start()
        await upgrade_database(self.engine, self.migrations_dir, schema=self.settings.database_schema)
        for sub in self.subscriptions:
            consumer = IdempotentConsumer(self.name, self.processed_table, self.sessionmaker, sub.handler, service=self.name)
            self.bus.subscribe(sub.topic, self.name, consumer)
        self.relay.start()
        for task in self.tasks:
            await task.start(self)
        self.ready = True
        log.info("service.started", service=self.name, bus=self.bus.name, database=self.engine.url.get_backend_name())

    async def stop(self) -> None:
        self.ready = False
        for task in reversed(self.tasks):
            await task.stop()
        await self.relay.stop()
        await self.pdf.close()
        for closer in self._closers:
            await closer()
        if self.owns_bus:
            await self.bus.stop()
        await self.engine.dispose()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        uow = UnitOfWork(self)
        try:
            yield uow
        finally:
            await uow.session.close()

    async def health(self) -> dict[str, Any]:
        checks = {"database": False, "bus": False, "relay": self.relay.running}
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), 2)
            checks["database"] = True
        except Exception as exc:  # noqa: BLE001 - reported as not ready
            log.warning("health.database", service=self.name, error=str(exc))
        try:
            checks["bus"] = await asyncio.wait_for(self.bus.healthy(), 2)
        except Exception as exc:  # noqa: BLE001 - reported as not ready
            log.warning("health.bus", service=self.name, error=str(exc))
        return {"service": self.name, "ready": self.ready and all(checks.values()), **checks}


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_uow(runtime: RuntimeDep) -> AsyncIterator[UnitOfWork]:
    async with runtime.unit_of_work() as uow:
        yield uow


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def get_pdf(runtime: RuntimeDep) -> PdfRenderer:
    return runtime.pdf


PdfDep = Annotated[PdfRenderer, Depends(get_pdf)]


def create_service_app(runtime: ServiceRuntime, *, title: str, description: str = "") -> FastAPI:
    """A service's FastAPI app whose lifespan starts and stops the runtime."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=title, description=description, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.secret = runtime.settings.secret()
    app.state.service_name = runtime.name  # the audience of the gateway's tokens to this service
    install_common(app, runtime.name, limits=runtime.settings.body_limits())

    @app.get("/healthz", tags=["health"])
    async def healthz() -> JSONResponse:
        report = await runtime.health()
        return JSONResponse(report, status_code=200 if report["ready"] else 503)

    return app


__all__ = [
    "BackgroundTask",
    "PdfDep", "RuntimeDep", "ServiceRuntime", "SessionDep", "Subscription", "UnitOfWork", "UowDep",
    "create_service_app", "define_outbox_tables",
]
