"""Wires the seating service: settings, database, outbox, bus subscriptions, routers."""
from __future__ import annotations

from pathlib import Path

from congress_common.bus import EventBus
from congress_common.readmodels import DirectoryProjector
from congress_common.runtime import ServiceRuntime, Subscription, create_service_app
from fastapi import FastAPI

from .adapters.orm import KNOWN_CONGRESSES, KNOWN_DELEGATES, Base
from .api import routes
from .settings import SeatingSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: SeatingSettings, bus: EventBus, *, owns_bus: bool = True) -> FastAPI:
    projector = DirectoryProjector(KNOWN_CONGRESSES, KNOWN_DELEGATES)
    runtime = ServiceRuntime(settings=settings, metadata=Base.metadata, migrations_dir=MIGRATIONS, bus=bus,
                             owns_bus=owns_bus, subscriptions=[Subscription(projector.topic, projector)])
    app = create_service_app(runtime, title="Congress seating service")
    app.include_router(routes.router)
    return app
