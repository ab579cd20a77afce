"""The release scheduler: documents planned for a time are released (with ``document.published``) when it comes.

It wakes at the next planned release (or every ``poll_seconds`` at most, so a
document planned by another replica is seen too); the guarded UPDATE in
``handlers.release_due`` makes sure only one process publishes each document.
"""
from __future__ import annotations

import asyncio
from datetime import UTC

import structlog
from congress_common.aio import cancel_and_wait
from congress_common.contracts import utcnow
from congress_common.runtime import ServiceRuntime

from . import handlers

log = structlog.get_logger(__name__)


class ReleaseScheduler:
    def __init__(self, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._runtime: ServiceRuntime | None = None

    async def start(self, runtime: ServiceRuntime) -> None:
        self._runtime = runtime
        self._task = asyncio.create_task(self._run(), name=f"release-scheduler-{runtime.name}")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as exc:  # noqa: BLE001 - keep scheduling whatever happens
                log.warning("release.scheduler_error", error=str(exc))
            await asyncio.sleep(await self._sleep_seconds())

    async def tick(self) -> int:
        async with self._runtime.unit_of_work() as uow:
            released = await handlers.release_due(uow)
        if released:
            log.info("release.published", documents=released)
        return released

    async def _sleep_seconds(self) -> float:
        try:
            async with self._runtime.sessionmaker() as session:
                upcoming = await handlers.next_release_at(session)
        except Exception:  # noqa: BLE001 - the next tick logs it
            return self.poll_seconds
        if upcoming is None:
            return self.poll_seconds
        if upcoming.tzinfo is None:  # SQLite gives back the UTC wall time without its offset
            upcoming = upcoming.replace(tzinfo=UTC)
        return min(self.poll_seconds, max(0.05, (upcoming - utcnow()).total_seconds()))
