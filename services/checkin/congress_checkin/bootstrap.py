"""Wires the check-in service: settings, database, outbox, bus, routers."""
from __future__ import annotations

from pathlib import Path

from congress_common.bus import EventBus
from congress_common.runtime import ServiceRuntime, Subscription, create_service_app
from fastapi import FastAPI

from .adapters.badge_photos import EnrolledBadgePhotos
from .adapters.face_engine import ProcessPoolFaceEngine
from .adapters.orm import Base
from .adapters.template_cipher import TemplateCipher
from .adapters.workbook_worker import WorkbookLimits, WorkbookParser
from .api import (
    checkins,
    congresses,
    delegates,
    face_checkins,
    faces,
    imports,
    internal,
    printing,
    reports,
    seat_cards,
)
from .face_checkin import FaceCheckins
from .seats import SeatProjector
from .settings import CheckinSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: CheckinSettings, bus: EventBus, *, owns_bus: bool = True) -> FastAPI:
    seats = SeatProjector()
    runtime = ServiceRuntime(settings=settings, metadata=Base.metadata, migrations_dir=MIGRATIONS,
                             bus=bus, owns_bus=owns_bus, subscriptions=[Subscription(seats.topic, seats)])
    app = create_service_app(runtime, title="Congress check-in service",
                             description="Roster, Excel import, desk and QR check-in, attendance and quorum")
    app.state.workbook_parser = WorkbookParser(WorkbookLimits.from_settings(settings))
    cipher = TemplateCipher(settings.face_cipher_key())
    app.state.badge_photos = EnrolledBadgePhotos(cipher)
    app.state.faces = FaceCheckins(ProcessPoolFaceEngine(settings.face_engine_limits()),
                                   cipher, per_minute=settings.face_kiosk_per_minute,
                                   not_me_seconds=settings.face_not_me_seconds)
    runtime.on_stop(lambda: app.state.faces.engine.close())
    for router in (congresses.router, imports.router, delegates.router, face_checkins.router, checkins.router,
                   faces.router, internal.router, seat_cards.router, reports.router, printing.router):
        app.include_router(router)
    return app
