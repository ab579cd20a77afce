"""Rendering off the event loop: the ``PdfRenderer`` port and its process-pool and thread adapters.

fpdf2 is pure Python: a 1,100-page batch holds the GIL for seconds, so even a
thread would slow every other request of the embedded run (one process, one
loop). The default adapter renders in a worker process; a layout function is
``job(fonts, payload) -> bytes`` at module level, ``payload`` plain picklable data.
"""
from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

import structlog
from fastapi import Response

from .fonts import DEFAULT_FONT_DIR, Fonts

log = structlog.get_logger(__name__)
Job = Callable[[Fonts, Any], bytes]


class PdfRenderer(Protocol):
    async def render(self, job: Job, payload: Any) -> bytes: ...

    async def close(self) -> None: ...


class ThreadRenderer:
    """Renders in a worker thread (tests, tools): off the loop, but shares the GIL."""

    def __init__(self, font_dir: Path | str = DEFAULT_FONT_DIR) -> None:
        self.font_dir = Path(font_dir)

    async def render(self, job: Job, payload: Any) -> bytes:
        fonts = Fonts.locate(self.font_dir)
        return await asyncio.to_thread(job, fonts, payload)

    async def close(self) -> None:
        return None


class ProcessPoolRenderer:
    """Renders in a pool of worker processes (spawned on first use, so start-up stays fast)."""

    def __init__(self, font_dir: Path | str = DEFAULT_FONT_DIR, *, workers: int = 1) -> None:
        self.font_dir, self.workers = Path(font_dir), workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, never fork: the parent runs an event loop and threads
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def render(self, job: Job, payload: Any) -> bytes:
        fonts = Fonts.locate(self.font_dir)  # a clear 503 before any work is queued
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), job, fonts, payload)
        except BrokenProcessPool:
            log.warning("pdf.pool_broken", detail="a PDF worker died; starting a new pool and retrying once")
            await self._shutdown()
            return await loop.run_in_executor(self._executor(), job, fonts, payload)

    async def _shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def close(self) -> None:
        await self._shutdown()


def pdf_response(data: bytes, filename: str) -> Response:
    """The PDF, shown in the browser (``inline``) with a download name."""
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})
