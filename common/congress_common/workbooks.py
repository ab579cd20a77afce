"""Uploaded workbooks are parsed in a separate process, under a time and a memory limit.

The event loop only looks at the archive's declared sizes (its central
directory, no inflating). A worker process (pebble, one per service process,
started on first use) then inflates the parts within a budget and runs the
parse function, with ``RLIMIT_AS`` capping its memory; a parse that runs past
the time limit is killed with its worker, which pebble replaces. A hostile
file costs the server a 4xx and a short-lived worker, never its own memory or
its loop. Every service that reads spreadsheets from outside (the roster, the
hall plan) uses one ``WorkbookWorker`` with its own module-level parse function.
"""
from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pebble import ProcessExpired, ProcessPool

from .spreadsheets import UnsafeArchive, check_xlsx_archive

T = TypeVar("T")


@dataclass(frozen=True)
class WorkbookLimits:
    max_uncompressed_bytes: int = 40 * 1024 * 1024
    timeout_s: float = 30.0
    memory_bytes: int = 1024 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Any) -> WorkbookLimits:
        return cls(max_uncompressed_bytes=settings.max_import_uncompressed_bytes,
                   timeout_s=settings.import_parse_timeout_s,
                   memory_bytes=settings.import_parse_memory_mb * 1024 * 1024)


def _limit_memory(max_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _checked_parse(parse: Callable[[bytes], T], data: bytes, max_uncompressed: int) -> T:
    check_xlsx_archive(data, max_uncompressed=max_uncompressed)
    return parse(data)


class WorkbookWorker(Generic[T]):
    """Runs ``parse(data)`` (a module-level function) in the shared worker; failures become ``error(message)``."""

    _pools: dict[int, ProcessPool] = {}
    _lock = threading.Lock()

    def __init__(self, parse: Callable[[bytes], T], error: Callable[[str], Exception],
                 limits: WorkbookLimits | None = None) -> None:
        self._parse, self._error = parse, error
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

    async def parse(self, data: bytes) -> T:
        try:
            check_xlsx_archive(data, max_uncompressed=self.limits.max_uncompressed_bytes, inflate=False)
        except UnsafeArchive as exc:
            raise self._error(str(exc)) from None
        future = self._pool().schedule(_checked_parse, args=(self._parse, data, self.limits.max_uncompressed_bytes),
                                       timeout=self.limits.timeout_s)
        try:
            return await asyncio.wrap_future(future)
        except UnsafeArchive as exc:
            raise self._error(str(exc)) from None
        except TimeoutError:
            raise self._error(f"Đọc tệp Excel quá {self.limits.timeout_s:g} giây; "
                              "hãy xóa các dòng, cột thừa hoặc chia nhỏ tệp") from None
        except (MemoryError, ProcessExpired):
            raise self._error("Tệp Excel cần quá nhiều bộ nhớ để đọc; hãy xóa các dòng, cột thừa "
                              "hoặc chia nhỏ tệp") from None

    @classmethod
    def shutdown(cls) -> None:
        with cls._lock:
            for pool in cls._pools.values():
                pool.stop()
                pool.join(timeout=5)
            cls._pools.clear()


atexit.register(WorkbookWorker.shutdown)
