"""Wires the seating service: settings, database, outbox, bus subscriptions, routers."""
from __future__ import annotations

from pathlib import Path

from congress_common.bus import EventBus
from congress_common.contracts import DelegateRemoved, EventEnvelope, parse_event
from congress_common.readmodels import DirectoryProjector
from congress_common.runtime import ServiceRuntime, Subscription, create_service_app
from congress_common.workbooks import WorkbookLimits, WorkbookWorker
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from . import handlers
from .adapters.orm import KNOWN_CONGRESSES, KNOWN_DELEGATES, Base
from .adapters.repository import SqlSeatingUnitOfWork
from .api import files, roster, routes
from .domain.commands import ReleaseRemovedDelegate
from .domain.hall_sheet import HallSheetError, parse_hall_workbook
from .settings import SeatingSettings

MIGRATIONS = Path(__file__).parent / "migrations"


class RosterConsumer:
    """Check-in events: the roster read model, and a removed delegate's seat released (with its event)."""

    def __init__(self) -> None:
        self.directory = DirectoryProjector(KNOWN_CONGRESSES, KNOWN_DELEGATES)
        self.topic = self.directory.topic
        self.runtime: ServiceRuntime | None = None

    async def __call__(self, session: AsyncSession, envelope: EventEnvelope) -> None:
        await self.directory(session, envelope)
        if envelope.type == DelegateRemoved.TYPE and self.runtime is not None:
            event = parse_event(envelope)
            outbox = self.runtime.outbox

            async def emit(e, cid):
                return await outbox.stage(session, e, congress_id=cid, correlation_id=envelope.correlation_id)

            async def nothing() -> None:  # the consumer's transaction commits (with the event id claimed)
                return None

            uow = SqlSeatingUnitOfWork(session, emit, nothing, nothing)
            await handlers.release_removed_delegate(uow, ReleaseRemovedDelegate(envelope.congress_id, event.delegate_id))
            outbox.notify()


def create_app(settings: SeatingSettings, bus: EventBus, *, owns_bus: bool = True) -> FastAPI:
    consumer = RosterConsumer()
    runtime = ServiceRuntime(settings=settings, metadata=Base.metadata, migrations_dir=MIGRATIONS, bus=bus,
                             owns_bus=owns_bus, subscriptions=[Subscription(consumer.topic, consumer)])
    consumer.runtime = runtime
    app = create_service_app(runtime, title="Congress seating service",
                             description="Hall plans, automatic placement, manual edits, publication, seat map")
    app.state.hall_reader = WorkbookWorker(parse_hall_workbook, HallSheetError, WorkbookLimits.from_settings(settings))
    for router in (roster.router, files.router, routes.router, routes.me_router):
        app.include_router(router)
    return app
