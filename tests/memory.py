"""Memory of a process while a block runs: the highest RSS, sampled from a thread."""
from __future__ import annotations

import threading

import psutil

MB = 1024 * 1024


class PeakRss:
    """The highest RSS of a process (this one by default), sampled every few milliseconds while the block runs."""

    def __init__(self, pid: int | None = None) -> None:
        self.process, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()

    def __enter__(self) -> PeakRss:
        self.start = self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / MB
