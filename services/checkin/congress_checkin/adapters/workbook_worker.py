"""Uploaded workbooks are parsed in a separate process, under a time and a memory limit.

The event loop only looks at the archive's declared sizes (its central
directory, no inflating). A worker process (pebble, one per service process,
started on first use) then inflates the parts within a budget and parses the
sheet, with ``RLIMIT_AS`` capping its memory; a parse that runs past the time
limit is killed with its worker, which pebble replaces. A hostile file costs
the server a 4xx and a short-lived worker, never its own memory or its loop.
"""
from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import resource
import threading
from dataclasses import dataclass

from congress_common.spreadsheets import UnsafeArchive, check_xlsx_archive
from pebble import ProcessExpired, ProcessPool

from ..domain.roster_import import ImportFileError, ParsedRoster, parse_delegate_workbook


@dataclass(frozen=True)
class WorkbookLimits:
    max_uncompressed_bytes: int = 40 * 1024 * 1024
    timeout_s: float = 30.0
    memory_bytes: int = 1024 * 1024 * 1024


def _limit_memory(max_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _parse(data: bytes, max_uncompressed: int) -> ParsedRoster:
    check_xlsx_archive(data, max_uncompressed=max_uncompressed)
    return parse_delegate_workbook(data)


class WorkbookParser:
    """Parses delegate lists off the event loop; one worker process shared by the whole service process."""

    _pools: dict[int, ProcessPool] = {}
    _lock = threading.Lock()

    def __init__(self, limits: WorkbookLimits | None = None) -> None:
        self.limits = limits or WorkbookLimits()

    def _pool(self) -> ProcessPool:
        with self._lock:
            pool = self._pools.get(self.limits.memory_bytes)
            if pool is None or not pool.active:
                pool = ProcessPool(max_workers=1, max_tasks=20, initializer=_limit_memory,
                                   initargs=(self.limits.memory_bytes,),
                                   context=multiprocessing.get_context("spawn"))
                self._pools[self.limits.memory_bytes] = pool
            return pool

    async def parse(self, data: bytes) -> ParsedRoster:
        try:
            check_xlsx_archive(data, max_uncompressed=self.limits.max_uncompressed_bytes, inflate=False)
        except UnsafeArchive as exc:
            raise ImportFileError(str(exc)) from None
        future = self._pool().schedule(_parse, args=(data, self.limits.max_uncompressed_bytes),
                                       timeout=self.limits.timeout_s)
        try:
            return await asyncio.wrap_future(future)
        except UnsafeArchive as exc:
            raise ImportFileError(str(exc)) from None
        except TimeoutError:
            raise ImportFileError(f"Đọc tệp Excel quá {self.limits.timeout_s:g} giây; "
                                  "hãy xóa các dòng, cột thừa hoặc chia nhỏ tệp") from None
        except (MemoryError, ProcessExpired):
            raise ImportFileError("Tệp Excel cần quá nhiều bộ nhớ để đọc; hãy xóa các dòng, cột thừa "
                                  "hoặc chia nhỏ tệp") from None

    @classmethod
    def shutdown(cls) -> None:
        with cls._lock:
            for pool in cls._pools.values():
                pool.stop()
                pool.join(timeout=5)
            cls._pools.clear()


atexit.register(WorkbookParser.shutdown)
