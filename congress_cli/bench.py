"""``congress bench events``: check-in request → its event on the SSE stream, per bus.

Each bus runs the real embedded system in a child process (``congress up
--bus X``; for Kafka without ``KAFKA_BOOTSTRAP_SERVERS`` that starts the
bundled tansu). The baseline, measured in the same run against the same server,
is a plain authenticated round trip (``GET /api/auth/me``): the ratio says
how much the check-in's transaction, outbox, bus and stream add to it.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil
import redis
from rich.console import Console
from rich.table import Table

from .live import drop_redis_namespace, open_stream, running_system

ADMIN_PASSWORD = "bench-admin-password"  # noqa: S105 - a throw-away system
BUSES = ("inprocess", "redis", "kafka")
console = Console(stderr=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _prepare(client: httpx.AsyncClient, delegates: int) -> tuple[str, str, list[str]]:
    from congress_checkin.domain.roster_import import write_delegate_workbook
    from congress_checkin.domain.synthetic import synthetic_delegates

    token = (await client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})).json()["access_token"]
    client.headers["authorization"] = f"Bearer {token}"
    cid = (await client.post("/api/congresses", json={"name": "Đại hội đo hiệu năng", "level": "province"})).json()["id"]
    files = {"file": ("roster.xlsx", write_delegate_workbook(synthetic_delegates(delegates)))}
    (await client.post(f"/api/congresses/{cid}/delegates/import", files=files)).raise_for_status()
    page = (await client.get(f"/api/congresses/{cid}/delegates", params={"limit": delegates})).json()
    return token, cid, [item["id"] for item in page["items"]]


async def _measure(base_url: str, checkins: int) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        token, cid, ids = await _prepare(client, checkins)
        baseline = []
        for _ in range(max(50, checkins // 2)):
            started = time.perf_counter()
            (await client.get("/api/auth/me")).raise_for_status()
            baseline.append(time.perf_counter() - started)
        latencies = []
        async with open_stream(client, base_url, cid, token) as stream:
            for delegate_id in ids:
                started = time.perf_counter()
                (await client.post(f"/api/congresses/{cid}/checkins", json={"delegate_id": delegate_id})).raise_for_status()
                arrived, _, _ = await stream.wait_for(
                    lambda kind, data, d=delegate_id: kind == "delegate.checked_in" and data["payload"]["delegate_id"] == d)
                latencies.append(arrived - started)
    ms = [v * 1000 for v in latencies]
    return {"p50_ms": percentile(ms, 0.5), "p99_ms": percentile(ms, 0.99), "mean_ms": statistics.fmean(ms),
            "baseline_p50_ms": percentile([v * 1000 for v in baseline], 0.5)}


def _run_bus(bus: str, checkins: int, work_dir: Path, namespace: str,
             redis_url: str | None = None) -> tuple[dict[str, float], float]:
    env = {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_RATE_LIMIT_API": "100000/second",
           "CONGRESS_BUS_NAMESPACE": namespace, **({"REDIS_URL": redis_url} if redis_url else {})}
    with running_system(work_dir / bus, "--bus", bus, env=env) as system:
        figures = asyncio.run(_measure(system.base_url, checkins))
        rss_mb = psutil.Process(system.process.pid).memory_info().rss / 2**20
    return figures, rss_mb


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except redis.RedisError:
        return None


def _kafka_reachable() -> bool:
    from .tansu import tansu_binary

    return bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS")) or tansu_binary() is not None


def run_events_bench(*, checkins: int, json_output: bool) -> int:
    results: dict[str, float | None] = {}
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        for bus in BUSES:
            (Path(tmp) / bus).mkdir()
        figures, rss = _run_bus("inprocess", checkins, Path(tmp), namespace)
        results.update({f"inprocess_{k}": round(v, 3) for k, v in figures.items()}, rss_mb=round(rss, 1))
        redis_url = _redis_url()
        if redis_url:
            try:
                figures, rss = _run_bus("redis", checkins, Path(tmp), namespace, redis_url)
            finally:
                drop_redis_namespace(redis_url, namespace)
            results.update({f"redis_{k}": round(v, 3) for k, v in figures.items()}, redis_rss_mb=round(rss, 1))
        else:
            console.print("[yellow]Redis unreachable (REDIS_URL): the Redis bus was not measured[/]")
            results.update(redis_p50_ms=None, redis_p99_ms=None)
        if _kafka_reachable():
            figures, rss = _run_bus("kafka", checkins, Path(tmp), namespace)
            results.update({f"kafka_{k}": round(v, 3) for k, v in figures.items()}, kafka_rss_mb=round(rss, 1))
        else:
            console.print("[yellow]no Kafka (KAFKA_BOOTSTRAP_SERVERS unset, tansu not installed): not measured[/]")
            results.update(kafka_p50_ms=None, kafka_p99_ms=None)
    _report(results, checkins)
    if json_output:
        print(json.dumps({"bench": "events", "checkins": checkins, **results}))
    return 0


def _report(results: dict[str, float | None], checkins: int) -> None:
    table = Table(title=f"check-in → SSE event, {checkins} sequential check-ins per bus")
    for column in ("bus", "p50 ms", "p99 ms", "baseline p50 ms", "p50 / baseline", "RSS MB"):
        table.add_column(column, justify="right")
    for bus in BUSES:
        p50, base = results.get(f"{bus}_p50_ms"), results.get(f"{bus}_baseline_p50_ms")
        if p50 is None:
            table.add_row(bus, "—", "—", "—", "—", "—")
            continue
        rss = results["rss_mb"] if bus == "inprocess" else results.get(f"{bus}_rss_mb")
        table.add_row(bus, f"{p50:.2f}", f"{results[f'{bus}_p99_ms']:.2f}", f"{base:.2f}", f"{p50 / base:.1f}×", f"{rss:.0f}")
    Console().print(table)
