"""The PDF worker port: CPU-bound PDF work (inspect, render a page, watermark) off the event loop.

``ProcessPdfWorker`` runs the jobs of ``pdf_jobs`` in a shared pebble process
pool (``congress_common.workers``: spawned, never forked; a job past its time
limit is killed with its worker, which pebble replaces). Requests for the same output wait on one job
(single flight): 1,100 phones opening page 1 at the session start cause one
render, not 1,100.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from congress_common.errors import DomainError, Invalid
from congress_common.workers import PoolSpec, run_in_pool
from pebble import ProcessExpired

from . import pdf_jobs
from .pdf_jobs import PdfRefused


class PdfBusy(DomainError):
    status_code = 503


class PdfWorker(Protocol):
    async def inspect(self, path: Path, max_pages: int) -> int: ...

    async def render_page(self, path: Path, index: int, width: int, target: Path, stamp: list[str] | None) -> None: ...

    async def watermark(self, path: Path, target: Path, lines: list[str]) -> None: ...

    async def close(self) -> None: ...


class _SingleFlight:
    """One running job per output path; later callers await the same future."""

    def __init__(self) -> None:
        self._running: dict[str, asyncio.Future[None]] = {}

    async def run(self, key: str, start: Callable[[], asyncio.Future]) -> None:
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(start())
            self._running[key] = running
            running.add_done_callback(lambda _f: self._running.pop(key, None))
        await asyncio.shield(running)


class ProcessPdfWorker:
    """The pool is shared by every documents app of the process (``congress_common.workers``)."""

    def __init__(self, *, font_dir: Path, workers: int = 2, timeout_s: float = 60.0) -> None:
        self.font_dir, self.timeout_s = font_dir, timeout_s
        self._pool = PoolSpec(workers=workers, max_tasks=500)
        self._flights = _SingleFlight()

    async def _call(self, fn, *args: Any, timeout: float | None = None) -> Any:
        try:
            return await run_in_pool(self._pool, fn, *args, timeout=timeout or self.timeout_s)
        except PdfRefused as exc:
            raise Invalid(exc.message) from None
        except TimeoutError:
            raise Invalid("Xử lý tệp PDF quá lâu: tệp có thể bị hỏng hoặc quá phức tạp") from None
        except (MemoryError, ProcessExpired):
            raise Invalid("Tệp PDF cần quá nhiều bộ nhớ để xử lý: tệp có thể bị hỏng") from None

    async def inspect(self, path: Path, max_pages: int) -> int:
        return await self._call(pdf_jobs.inspect_pdf, str(path), max_pages)

    async def render_page(self, path: Path, index: int, width: int, target: Path, stamp: list[str] | None) -> None:
        font = str(self.font_dir / "DejaVuSans.ttf")
        await self._flights.run(str(target), lambda: self._call(
            pdf_jobs.render_page, str(path), index, width, str(target), stamp, font))

    async def watermark(self, path: Path, target: Path, lines: list[str]) -> None:
        await self._flights.run(str(target), lambda: self._call(
            pdf_jobs.watermark_pdf, str(path), str(target), lines, str(self.font_dir)))

    async def close(self) -> None:
        return None  # the shared pool outlives one app; it stops at exit
