"""Uploaded workbooks are parsed in a separate process, under a time and a memory limit.

The event loop only looks at the archive's declared sizes (its central
directory, no inflating). A worker process (``congress_common.workers``: pebble, shared
by the service process, started on first use) then inflates the parts within a budget and runs the
parse function, with ``RLIMIT_AS`` capping its memory; a parse that runs past
the time limit is killed with its worker, which pebble replaces. A hostile
file costs the server a 4xx and a short-lived worker, never its own memory or
its loop. Every service that reads spreadsheets from outside (the roster, the
hall plan) uses one ``WorkbookWorker`` with its own module-level parse function.
"""
from __future__ import annotations

import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pebble import ProcessExpired

from .spreadsheets import UnsafeArchive, check_xlsx_archive
from .workers import PoolSpec, run_in_pool

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

    def __init__(self, parse: Callable[[bytes], T], error: Callable[[str], Exception],
                 limits: WorkbookLimits | None = None) -> None:
        self._parse, self._error = parse, error
        self.limits = limits or WorkbookLimits()
        self._pool = PoolSpec(workers=1, max_tasks=20, initializer=_limit_memory, initargs=(self.limits.memory_bytes,))

    async def parse(self, data: bytes) -> T:
        try:
            check_xlsx_archive(data, max_uncompressed=self.limits.max_uncompressed_bytes, inflate=False)
        except UnsafeArchive as exc:
            raise self._error(str(exc)) from None
        try:
            return await run_in_pool(self._pool, _checked_parse, self._parse, data, self.limits.max_uncompressed_bytes,
                                     timeout=self.limits.timeout_s)
        except UnsafeArchive as exc:
            raise self._error(str(exc)) from None
        except TimeoutError:
            raise self._error(f"Đọc tệp Excel quá {self.limits.timeout_s:g} giây; "
                              "hãy xóa các dòng, cột thừa hoặc chia nhỏ tệp") from None
        except (MemoryError, ProcessExpired):
            raise self._error("Tệp Excel cần quá nhiều bộ nhớ để đọc; hãy xóa các dòng, cột thừa "
                              "hoặc chia nhỏ tệp") from None
