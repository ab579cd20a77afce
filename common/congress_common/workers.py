"""Worker process pools for CPU-bound or untrusted work (spreadsheets, PDFs), shared by a whole process.

A pool is a pebble ``ProcessPool`` (spawned, never forked: the event loop's
threads and sockets stay in the parent), started on first use, one per
configuration, and stopped when the process exits. pebble rather than
``concurrent.futures``: a task past its time limit is killed with its worker,
which pebble replaces. In the embedded run every service of the process shares
the pools of the same configuration.
"""
from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from pebble import ProcessPool


@dataclass(frozen=True)
class PoolSpec:
    """How many workers, how many tasks before a worker is replaced, what each worker runs first."""

    workers: int = 1
    max_tasks: int = 100
    initializer: Callable[..., None] | None = None
    initargs: tuple[Hashable, ...] = field(default=())


class SharedPools:
    _pools: dict[PoolSpec, ProcessPool] = {}
    _lock = threading.Lock()

    @classmethod
    def get(cls, spec: PoolSpec) -> ProcessPool:
        with cls._lock:
            pool = cls._pools.get(spec)
            if pool is None or not pool.active:
                pool = ProcessPool(max_workers=spec.workers, max_tasks=spec.max_tasks, initializer=spec.initializer,
                                   initargs=spec.initargs, context=multiprocessing.get_context("spawn"))
                cls._pools[spec] = pool
            return pool

    @classmethod
    def shutdown(cls) -> None:
        with cls._lock:
            for pool in cls._pools.values():
                pool.stop()
                pool.join(timeout=5)
            cls._pools.clear()


async def run_in_pool(spec: PoolSpec, fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """``fn(*args)`` (a module-level function) in a worker of the pool ``spec``; ``TimeoutError`` past
    ``timeout`` seconds (the worker is killed), ``pebble.ProcessExpired`` if the worker died."""
    future = SharedPools.get(spec).schedule(fn, args=args, timeout=timeout)
    return await asyncio.wrap_future(future)


atexit.register(SharedPools.shutdown)
