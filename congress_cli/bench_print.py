"""``congress bench print``: invitations and badges for 1,100 delegates and the credentials report, through the
gateway of a real embedded system (``congress up`` in a child process), while another client keeps asking for
the attendance: printing must never block other requests (the PDFs render in the worker process).

Baseline, measured in the same run against the same server: the attendance request when nothing prints. The
first print starts the PDF worker process; that start is measured apart (``worker_start_s``).
"""
from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from .bench import ADMIN_PASSWORD, percentile
from .live import running_system

console = Console(stderr=True)
PROBE_EVERY_S = 0.05


async def _prepare(client: httpx.AsyncClient, delegates: int) -> str:
    from congress_checkin.domain.roster_import import write_delegate_workbook
    from congress_checkin.domain.synthetic import synthetic_delegates

    token = (await client.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})).json()
    client.headers["authorization"] = f"Bearer {token['access_token']}"
    cid = (await client.post("/api/congresses", json={
        "name": "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX, nhiệm kỳ 2023–2028", "level": "province",
        "venue": "Cung Văn hóa tỉnh Thanh Hóa", "starts_on": "2023-08-10"})).json()["id"]
    files = {"file": ("roster.xlsx", write_delegate_workbook(synthetic_delegates(delegates)))}
    (await client.post(f"/api/congresses/{cid}/delegates/import", files=files)).raise_for_status()
    ids: list[str] = []
    while len(ids) < delegates:
        page = await client.get(f"/api/congresses/{cid}/delegates", params={"limit": 1000, "offset": len(ids)})
        ids += [item["id"] for item in page.raise_for_status().json()["items"]]
    for delegate_id in ids[: delegates * 3 // 4]:  # most have arrived: the report has figures to show
        (await client.post(f"/api/congresses/{cid}/checkins", json={"delegate_id": delegate_id})).raise_for_status()
    return cid


async def _probe(client: httpx.AsyncClient, cid: str, stop: asyncio.Event, latencies: list[float]) -> None:
    """The other request: the attendance, again and again, while the server prints."""
    while not stop.is_set():
        started = time.perf_counter()
        (await client.get(f"/api/congresses/{cid}/attendance")).raise_for_status()
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(PROBE_EVERY_S)


async def _timed_print(client: httpx.AsyncClient, probe: httpx.AsyncClient, cid: str, method: str, path: str,
                       latencies: list[float], body: dict | None = None) -> tuple[float, bytes]:
    stop = asyncio.Event()
    prober = asyncio.create_task(_probe(probe, cid, stop, latencies))
    started = time.perf_counter()
    reply = await client.request(method, f"/api/congresses/{cid}{path}", json=body, timeout=300)
    elapsed = time.perf_counter() - started
    stop.set()
    await prober
    reply.raise_for_status()
    return elapsed, reply.content


def _pages(pdf: bytes) -> int | None:
    try:
        import pypdfium2
    except ImportError:  # a slim install: the figure is left out
        return None
    return len(pypdfium2.PdfDocument(pdf))


async def _measure(base_url: str, delegates: int) -> dict[str, float | int | None]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client, \
            httpx.AsyncClient(base_url=base_url, timeout=60) as probe:
        cid = await _prepare(client, delegates)
        probe.headers["authorization"] = client.headers["authorization"]
        baseline: list[float] = []
        for _ in range(60):
            started = time.perf_counter()
            (await probe.get(f"/api/congresses/{cid}/attendance")).raise_for_status()
            baseline.append(time.perf_counter() - started)
        warm: list[float] = []
        worker_start, _ = await _timed_print(client, probe, cid, "POST", "/print/invitations", warm,
                                             {"delegate_ids": [(await _first_id(client, cid))]})
        during: list[float] = []
        figures: dict[str, float | int | None] = {}
        for name, method, path, body in (("invitations", "POST", "/print/invitations", {}),
                                         ("badges", "POST", "/print/badges", {}),
                                         ("report", "GET", "/credentials-report.pdf", None)):
            elapsed, pdf = await _timed_print(client, probe, cid, method, path, during, body)
            figures[f"{name}_s"] = round(elapsed, 2)
            figures[f"{name}_pages"] = _pages(pdf)
    ms = [v * 1000 for v in during]
    return {**figures, "worker_start_s": round(worker_start, 2),
            "baseline_p50_ms": round(percentile([v * 1000 for v in baseline], 0.5), 2),
            "during_print_p50_ms": round(percentile(ms, 0.5), 2), "during_print_p99_ms": round(percentile(ms, 0.99), 2),
            "during_print_max_ms": round(max(ms), 2), "during_print_requests": len(ms),
            "during_print_mean_ms": round(statistics.fmean(ms), 2)}


async def _first_id(client: httpx.AsyncClient, cid: str) -> str:
    return (await client.get(f"/api/congresses/{cid}/delegates", params={"limit": 1})).json()["items"][0]["id"]


def _rss_mb(pid: int) -> tuple[float, float]:
    """The server's resident memory, and its children's (the PDF worker), in MB."""
    process = psutil.Process(pid)
    children = sum(child.memory_info().rss for child in process.children(recursive=True))
    return process.memory_info().rss / 2**20, children / 2**20


def run_print_bench(*, delegates: int, json_output: bool) -> int:
    env = {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_RATE_LIMIT_API": "100000/second",
           "CONGRESS_BUS_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}"}
    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp), env=env) as system:
        figures = asyncio.run(_measure(system.base_url, delegates))
        server, workers = _rss_mb(system.process.pid)
    results = {"bench": "print", "delegates": delegates, **figures, "rss_mb": round(server + workers, 1),
               "server_rss_mb": round(server, 1), "worker_rss_mb": round(workers, 1)}
    _report(results)
    if json_output:
        print(json.dumps(results))
    return 0


def _report(r: dict) -> None:
    table = Table(title=f"printing for {r['delegates']} delegates (PDF worker process), through the gateway")
    for column in ("printout", "seconds", "pages"):
        table.add_column(column, justify="right")
    for name, label in (("invitations", "invitations (1 page each)"), ("badges", "badges (8 per page)"),
                        ("report", "credentials report")):
        table.add_row(label, f"{r[f'{name}_s']:.2f}", str(r[f"{name}_pages"] or "—"))
    Console().print(table)
    console.print(f"PDF worker start {r['worker_start_s']:.2f} s; attendance request p50 {r['baseline_p50_ms']:.1f} ms "
                  f"idle, {r['during_print_p50_ms']:.1f} ms (p99 {r['during_print_p99_ms']:.1f}, max "
                  f"{r['during_print_max_ms']:.1f}) while printing, {r['during_print_requests']} requests; "
                  f"RSS {r['rss_mb']:.0f} MB (server {r['server_rss_mb']:.0f} + worker {r['worker_rss_mb']:.0f})")
