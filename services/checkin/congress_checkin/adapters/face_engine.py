"""The ``FaceEngine`` port, its process-pool adapter (production, embedded run too) and a fake for tests.

Decoding, detection, landmarks and encoding are CPU-bound for tens of
milliseconds each: they never run on the event loop, which in the embedded
run also serves the gateway, the live stream and every other service. A pool
of worker processes (pebble) does them; a worker that crashes or runs past
the time limit is killed and replaced, and its request is answered 503
(``FaceEngineUnavailable``), never left hanging.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import resource
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import structlog
from pebble import ProcessExpired, ProcessPool

from ..domain.faces.samples import FrameOutcome, ImageProblem
from .face_pipeline import PipelineLimits, analyse, read_qr, warm_up

log = structlog.get_logger(__name__)


class FaceEngineUnavailable(RuntimeError):
    """A worker died or timed out: the request gets a 503 and may be retried."""


@dataclass(frozen=True)
class EngineLimits:
    workers: int = 2
    timeout_s: float = 10.0
    memory_mb: int = 2048
    camera_min_face_px: int = 120
    photo_min_face_px: int = 100
    probe_min_face_px: int = 64
    camera_max_pixels: int = 4_000_000
    photo_max_pixels: int = 40_000_000
    encoded_frames: int = 3  # best of the burst: the sharpest frontal frames are encoded
    enrolment_jitters: int = 3


class FaceEngine(Protocol):
    async def photo(self, data: bytes, *, enrolment: bool = True) -> FrameOutcome: ...

    async def burst(self, frames: Sequence[bytes], *, camera: bool = True) -> list[FrameOutcome]: ...

    async def read_qr(self, frames: Sequence[bytes]) -> str | None: ...

    async def close(self) -> None: ...


def frame_rank(outcome: FrameOutcome) -> float:
    """Which frames of a burst are worth encoding: sharp and frontal faces first."""
    sample = outcome.sample
    if sample is None:
        return -1.0
    return sample.sharpness * max(0.1, 1 - 2 * abs(sample.yaw)) * min(1.0, sample.face_width / 200)


def _limit_memory(max_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    warm_up()


class BurstPlanner:
    """Shared by the adapters: detect every frame, then encode only the best few (one round when few)."""

    limits: EngineLimits

    def camera_limits(self, camera: bool) -> PipelineLimits:
        if camera:
            return PipelineLimits(camera=True, min_face_px=self.limits.camera_min_face_px,
                                  max_pixels=self.limits.camera_max_pixels)
        return PipelineLimits(camera=False, min_face_px=self.limits.probe_min_face_px,
                              max_pixels=self.limits.photo_max_pixels, upsample_if_none=True)

    def photo_limits(self, enrolment: bool) -> PipelineLimits:
        if not enrolment:
            return self.camera_limits(False)
        return PipelineLimits(camera=False, min_face_px=self.limits.photo_min_face_px,
                              max_pixels=self.limits.photo_max_pixels, upsample_if_none=True,
                              jitters=self.limits.enrolment_jitters)

    async def run(self, data: bytes, limits: PipelineLimits) -> FrameOutcome:
        raise NotImplementedError

    async def photo(self, data: bytes, *, enrolment: bool = True) -> FrameOutcome:
        return await self.run(data, self.photo_limits(enrolment))

    async def burst(self, frames: Sequence[bytes], *, camera: bool = True) -> list[FrameOutcome]:
        limits = self.camera_limits(camera)
        if len(frames) <= self.limits.encoded_frames:
            return list(await asyncio.gather(*(self.run(f, limits) for f in frames)))
        found = list(await asyncio.gather(*(self.run(f, replace(limits, encode=False)) for f in frames)))
        best = sorted(range(len(frames)), key=lambda i: frame_rank(found[i]), reverse=True)
        chosen = [i for i in best[:self.limits.encoded_frames] if found[i].sample is not None]
        encoded = await asyncio.gather(*(self.run(frames[i], limits) for i in chosen))
        for i, outcome in zip(chosen, encoded, strict=True):
            found[i] = outcome
        return found


class ProcessPoolFaceEngine(BurstPlanner):
    """The real engine: face_recognition/dlib in a pool of worker processes, started on first use."""

    def __init__(self, limits: EngineLimits | None = None) -> None:
        self.limits = limits or EngineLimits()
        self._pool: ProcessPool | None = None

    def _executor(self) -> ProcessPool:
        if self._pool is None or not self._pool.active:
            self._pool = ProcessPool(max_workers=self.limits.workers, initializer=_limit_memory,
                                     initargs=(self.limits.memory_mb * 1024 * 1024,),
                                     context=multiprocessing.get_context("spawn"))
        return self._pool

    async def submit(self, function: Callable, *args) -> object:
        future = self._executor().schedule(function, args=args, timeout=self.limits.timeout_s)
        try:
            return await asyncio.wrap_future(future)
        except (ProcessExpired, TimeoutError, MemoryError) as exc:
            log.warning("faces.worker_lost", error=type(exc).__name__)
            raise FaceEngineUnavailable("Máy nhận diện khuôn mặt vừa gặp sự cố, vui lòng thử lại") from None

    async def run(self, data: bytes, limits: PipelineLimits) -> FrameOutcome:
        return await self.submit(analyse, data, limits)  # type: ignore[return-value]

    async def read_qr(self, frames: Sequence[bytes]) -> str | None:
        return await self.submit(read_qr, list(frames), self.limits.camera_max_pixels)  # type: ignore[return-value]

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            await asyncio.to_thread(pool.join, 5)


class FakeFaceEngine(BurstPlanner):
    """Tests: each image's outcome is looked up by its bytes; nothing is decoded (and no worker started)."""

    def __init__(self, outcomes: dict[bytes, FrameOutcome] | None = None, limits: EngineLimits | None = None,
                 qr_codes: dict[bytes, str] | None = None) -> None:
        self.limits = limits or EngineLimits()
        self.outcomes, self.qr_codes = outcomes or {}, qr_codes or {}
        self.calls = 0

    async def read_qr(self, frames: Sequence[bytes]) -> str | None:
        return next((self.qr_codes[f] for f in frames if f in self.qr_codes), None)

    async def run(self, data: bytes, limits: PipelineLimits) -> FrameOutcome:
        self.calls += 1
        found = self.outcomes.get(data)
        if found is None:
            return FrameOutcome(problem=ImageProblem.no_face, message="fake: unknown image")
        if found.sample is not None and not limits.encode:
            return FrameOutcome(sample=replace(found.sample, encoding=None))
        return found

    async def close(self) -> None:
        return None
