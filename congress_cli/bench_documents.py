"""``congress bench documents``: 1,100 delegates open the same 5 MB, 40-page PDF at the session start.

The real embedded system runs in a child process (``congress up``). Each delegate (its own token) asks for
page 1 as an image, then downloads the whole file. Printed: time to first page p50/p95, total throughput,
and, in the same run, the same file served as a static file by nginx (Debian) or, without nginx, by a
Python ``socket.sendfile`` server: the baseline, measured before and after the system and the better of
the two kept (on a shared machine one run of it can be a third slower than the next). Watermarking cost:
the extra time of a confidential download (watermarked for that delegate) over a plain one. RSS of the
system before and after, and the system's CPU time per delegate (page 1 and the file): steadier than the
throughputs on a shared machine.
"""
from __future__ import annotations

import asyncio
import contextlib
import http.server
import json
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil
from rich.console import Console

from .bench import ADMIN_PASSWORD, percentile
from .live import free_port, running_system

console = Console(stderr=True)
CONCURRENCY = 64


async def set_up_congress(client: httpx.AsyncClient, delegates: int, data: bytes, secret_copy: bytes, *,
                          password: str = ADMIN_PASSWORD) -> dict:
    """A congress with ``delegates`` logged-in delegates (one token each), ``data`` as a plain document and
    ``secret_copy`` as a confidential one."""
    from congress_checkin.domain.roster_import import write_delegate_workbook
    from congress_checkin.domain.synthetic import synthetic_delegates

    token = (await client.post("/api/auth/token", json={"username": "admin", "password": password})).json()
    admin = {"authorization": f"Bearer {token['access_token']}"}
    cid = (await client.post("/api/congresses", json={"name": "Đại hội đo tài liệu", "level": "national"},
                             headers=admin)).json()["id"]
    files = {"file": ("roster.xlsx", write_delegate_workbook(synthetic_delegates(delegates)))}
    (await client.post(f"/api/congresses/{cid}/delegates/import", files=files, headers=admin)).raise_for_status()
    people = []
    while len(people) < delegates:
        page = await client.get(f"/api/congresses/{cid}/delegates", headers=admin,
                                params={"limit": 1000, "offset": len(people)})
        people += page.json()["items"]
    tokens = await asyncio.gather(*(_delegate_token(client, admin, cid, p["id"]) for p in people))
    for _ in range(600):
        audience = await client.get(f"/api/congresses/{cid}/documents/audience", headers=admin)
        if len(audience.json()["readers"]) == delegates:
            break
        await asyncio.sleep(0.1)
    doc = await client.post(f"/api/congresses/{cid}/documents", headers=admin, data={"title": "Báo cáo chính trị"},
                            files={"file": ("bao-cao.pdf", data, "application/pdf")})
    secret = await client.post(f"/api/congresses/{cid}/documents", headers=admin,
                               data={"title": "Danh sách ứng cử (mật)", "confidential": "true"},
                               files={"file": ("ung-cu.pdf", secret_copy, "application/pdf")})
    return {"cid": cid, "tokens": tokens, "doc": doc.json()["id"], "secret": secret.json()["id"], "size": len(data)}


_gate = asyncio.Semaphore(16)


async def _delegate_token(client, admin, cid, delegate_id) -> str:
    async with _gate:
        creds = (await client.get(f"/api/congresses/{cid}/delegates/{delegate_id}/credentials", headers=admin)).json()
        reply = await client.post("/api/auth/delegate", json={"congress_id": cid, "code": creds["code"], "pin": creds["pin"]})
        return reply.json()["access_token"]


async def _download(client: httpx.AsyncClient, url: str, headers: dict | None = None) -> int:
    size = 0
    async with client.stream("GET", url, headers=headers) as reply:
        reply.raise_for_status()
        async for chunk in reply.aiter_raw(256 * 1024):
            size += len(chunk)
    return size


async def _session_start(base_url: str, world: dict) -> dict:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    gate = asyncio.Semaphore(CONCURRENCY)
    base = f"/api/congresses/{world['cid']}/documents/{world['doc']}"
    first_page: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        async def delegate(token: str) -> int:
            headers = {"authorization": f"Bearer {token}"}
            async with gate:
                started = time.perf_counter()
                (await client.get(f"{base}/pages/1", params={"width": 800, "v": 1}, headers=headers)).raise_for_status()
                first_page.append(time.perf_counter() - started)
                return await _download(client, f"{base}/file", headers)

        started = time.perf_counter()
        sizes = await asyncio.gather(*(delegate(t) for t in world["tokens"]))
        elapsed = time.perf_counter() - started
    if short := [size for size in sizes if size != world["size"]]:
        raise RuntimeError(f"{len(short)} downloads ended early (e.g. {short[0]} of {world['size']} bytes)")
    total = sum(sizes)
    ms = [v * 1000 for v in first_page]
    return {"first_page_p50_ms": percentile(ms, 0.5), "first_page_p95_ms": percentile(ms, 0.95),
            "mb_per_s": total / elapsed / 2**20}


async def _static(url: str, count: int) -> float:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    gate = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        async def one() -> int:
            async with gate:
                return await _download(client, url)

        started = time.perf_counter()
        sizes = await asyncio.gather(*(one() for _ in range(count)))
        return sum(sizes) / (time.perf_counter() - started) / 2**20


async def _watermark_ms(base_url: str, world: dict, samples: int = 12) -> float:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        def timed(doc, token):
            async def run() -> float:
                started = time.perf_counter()
                await _download(client, f"/api/congresses/{world['cid']}/documents/{doc}/file",
                                {"authorization": f"Bearer {token}"})
                return time.perf_counter() - started
            return run()

        plain = [await timed(world["doc"], t) for t in world["tokens"][:samples]]
        secret = [await timed(world["secret"], t) for t in world["tokens"][-samples:]]
    return max(0.0, (percentile(secret, 0.5) - percentile(plain, 0.5)) * 1000)


def _static_run(folder: Path, count: int) -> tuple[str, float]:
    """The static baseline once: which server, and its MB/s for ``count`` downloads."""
    with static_server(folder) as (url, kind):
        return kind, asyncio.run(_static(f"{url}/bao-cao.pdf", count))


def _cpu_seconds(process: psutil.Process) -> float:
    """CPU time of the system under test (its worker processes included), user and system."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system + sum(
        child.cpu_times().user + child.cpu_times().system for child in process.children(recursive=True))


@contextlib.contextmanager
def static_server(folder: Path):
    """nginx (Debian) serving ``folder``, or a Python server answering with ``socket.sendfile``."""
    port = free_port()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        conf = folder / "nginx.conf"
        scratch = folder / "nginx-scratch"
        scratch.mkdir(exist_ok=True)
        temp_paths = " ".join(f"{kind}_temp_path {scratch};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf.write_text(f"""daemon off; worker_processes auto; pid {scratch}/nginx.pid; error_log {scratch}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; {temp_paths}
  server {{ listen 127.0.0.1:{port}; root {folder}; }} }}
""")
        process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(folder)], stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"http://127.0.0.1:{port}/nginx.conf", timeout=1).status_code == 200:
                        break
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}", "nginx"
        finally:
            process.terminate()
            process.wait(10)
        return
    server = _SendfileServer(("127.0.0.1", port), _sendfile_handler(folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", "python sendfile"
    finally:
        server.shutdown()


class _SendfileServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def _sendfile_handler(folder: Path):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = folder / Path(self.path).name
            self.send_response(200)
            self.send_header("content-length", str(path.stat().st_size))
            self.end_headers()
            with open(path, "rb") as handle:
                self.connection.sendfile(handle)

        def log_message(self, *_args) -> None:
            return None

    return Handler


def run_documents_bench(*, delegates: int, json_output: bool) -> int:
    from congress_common.pdf import Fonts
    from congress_documents.samples import sample_pdf

    fonts = Fonts.locate()
    data = sample_pdf(fonts, title="Báo cáo chính trị", pages=40, photo_bytes_per_page=125_000)
    secret_copy = sample_pdf(fonts, title="Danh sách ứng cử", pages=40, photo_bytes_per_page=125_000, seed=99)
    env = {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_RATE_LIMIT_API": "100000/second"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "static").mkdir()
        work.chmod(0o755)  # nginx's workers run as another user
        (work / "static").chmod(0o755)
        (work / "static" / "bao-cao.pdf").write_bytes(data)
        statics = [_static_run(work / "static", delegates)]
        with running_system(work, env=env, timeout=120) as system:
            async def everything() -> tuple[dict, dict, float, float]:
                async with httpx.AsyncClient(base_url=system.base_url, timeout=120) as client:
                    world = await set_up_congress(client, delegates, data, secret_copy)
                server = psutil.Process(system.process.pid)
                rss_before = server.memory_info().rss / 2**20
                cpu_before = _cpu_seconds(server)
                figures = await _session_start(system.base_url, world)
                figures["server_cpu_ms_per_delegate"] = (_cpu_seconds(server) - cpu_before) / delegates * 1000
                watermark = await _watermark_ms(system.base_url, world)
                return world, figures, watermark, rss_before

            _world, figures, watermark, rss_before = asyncio.run(everything())
            rss_after = psutil.Process(system.process.pid).memory_info().rss / 2**20
        statics.append(_static_run(work / "static", delegates))
    kind, static = statics[0][0], max(mb_per_s for _kind, mb_per_s in statics)
    results = {**{k: round(v, 2) for k, v in figures.items()}, "static_mb_per_s": round(static, 1),
               "static_runs_mb_per_s": [round(mb_per_s, 1) for _kind, mb_per_s in statics],
               "ratio_to_static": round(figures["mb_per_s"] / static, 3), "watermark_ms": round(watermark, 1),
               "rss_mb": round(rss_after, 1), "rss_before_mb": round(rss_before, 1)}
    console.print(f"{delegates} delegates, {len(data) / 2**20:.1f} MB × 40 pages, {CONCURRENCY} at a time; "
                  f"static baseline: {kind}")
    for key, value in results.items():
        console.print(f"  {key}: {value}")
    if json_output:
        print(json.dumps({"bench": "documents", "delegates": delegates, "file_mb": round(len(data) / 2**20, 2),
                          "static": kind, **results}))
    return 0
