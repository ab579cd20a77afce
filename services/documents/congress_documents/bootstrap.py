"""Wires the documents service: settings, database, outbox, roster read model, file storage, PDF worker,
release scheduler, routers."""
from __future__ import annotations

from pathlib import Path

from congress_common.bus import EventBus
from congress_common.readmodels import DirectoryProjector
from congress_common.runtime import ServiceRuntime, Subscription, create_service_app
from fastapi import FastAPI

from .adapters.converter import OfficeConverter, find_soffice
from .adapters.orm import KNOWN_CONGRESSES, KNOWN_DELEGATES, Base
from .adapters.pdf_worker import PdfWorker, ProcessPdfWorker
from .adapters.storage import FileStorage, create_storage
from .api import agenda, announcements, documents
from .files import Library
from .release import ReleaseScheduler
from .settings import DocumentsSettings

MIGRATIONS = Path(__file__).parent / "migrations"


class LibraryTask:
    """Starts the storage with the runtime and closes it (and the PDF worker) with it."""

    def __init__(self, library: Library) -> None:
        self.library = library

    async def start(self, _runtime: ServiceRuntime) -> None:
        await self.library.start()

    async def stop(self) -> None:
        await self.library.close()


def create_app(settings: DocumentsSettings, bus: EventBus, *, owns_bus: bool = True,
               storage: FileStorage | None = None, worker: PdfWorker | None = None) -> FastAPI:
    library = Library(storage=storage or create_storage(settings),
                      worker=worker or ProcessPdfWorker(font_dir=settings.pdf_font_dir, workers=settings.render_workers,
                                                        timeout_s=settings.pdf_task_timeout_s),
                      converter=OfficeConverter(find_soffice(settings.converter), settings.convert_timeout_s),
                      cache_dir=settings.cache_path(), max_bytes=settings.max_document_bytes,
                      max_pages=settings.max_document_pages)
    projector = DirectoryProjector(KNOWN_CONGRESSES, KNOWN_DELEGATES)
    runtime = ServiceRuntime(settings=settings, metadata=Base.metadata, migrations_dir=MIGRATIONS, bus=bus,
                             owns_bus=owns_bus, subscriptions=[Subscription(projector.topic, projector)],
                             tasks=[LibraryTask(library), ReleaseScheduler(settings.release_poll_seconds)])
    app = create_service_app(runtime, title="Congress documents service",
                             description="Documents with versions, audiences, releases and watermarks; agenda; "
                                         "announcements")
    app.state.library = library
    for router in (documents.router, agenda.router, announcements.router):
        app.include_router(router)
    return app
