"""A running system in a child process, and a client for it: used by the benchmarks and the e2e tests."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis
from congress_common.aio import cancel_and_wait

from .children import die_with_parent


def drop_redis_namespace(url: str, namespace: str) -> None:
    """Delete the streams a throw-away system wrote under ``CONGRESS_BUS_NAMESPACE``."""
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{namespace}:*"):
        client.delete(key)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveSystem:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


def wait_healthy(system: LiveSystem, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if system.process.poll() is not None:
            raise RuntimeError(f"the system exited with {system.process.returncode}:\n{system.log_tail()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{system.base_url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"/healthz not ready after {timeout} s:\n{system.log_tail()}")


@contextlib.contextmanager
def running_system(work_dir: Path, *args: str, env: dict[str, str] | None = None,
                   timeout: float = 60) -> Iterator[LiveSystem]:
    """``congress up ARGS`` on a free port; stopped (SIGTERM, then kill) on exit."""
    port = free_port()
    log_path = work_dir / f"congress-{port}.log"
    command = [sys.executable, "-m", "congress_cli", "up", "--port", str(port), "--data-dir", str(work_dir / "var"), *args]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                                   preexec_fn=die_with_parent())
    system = LiveSystem(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_healthy(system, timeout)
        yield system
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class EventStream:
    """Reads a congress's SSE stream in the background; each event with its arrival time."""

    events: list[tuple[float, str, dict]] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self, client: httpx.AsyncClient, url: str, token: str) -> None:
        async with client.stream("GET", url, params={"access_token": token}, timeout=None) as reply:
            reply.raise_for_status()
            event_type = ""
            async for line in reply.aiter_lines():
                if line.startswith("event:"):
                    event_type = line[6:].strip()
                elif line.startswith("data:"):
                    self._received(event_type, line[5:].strip())

    def _received(self, event_type: str, data: str) -> None:
        if event_type == "stream.ready":
            self.ready.set()
            return
        self.events.append((time.perf_counter(), event_type, json.loads(data)))
        self.arrived.set()

    async def wait_for(self, predicate, timeout: float = 10.0) -> tuple[float, str, dict]:
        async def scan() -> tuple[float, str, dict]:
            seen = 0
            while True:
                for item in self.events[seen:]:
                    if predicate(item[1], item[2]):
                        return item
                seen = len(self.events)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(scan(), timeout)


@contextlib.asynccontextmanager
async def open_stream(client: httpx.AsyncClient, base_url: str, cid: str, token: str) -> AsyncIterator[EventStream]:
    stream = EventStream()
    task = asyncio.create_task(stream.read(client, f"{base_url}/api/congresses/{cid}/stream", token))
    try:
        await asyncio.wait_for(stream.ready.wait(), 10)
        yield stream
    finally:
        await cancel_and_wait(task)
