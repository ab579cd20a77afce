"""The gateway's proxy: malformed paths refused before routing, bodies streamed both ways, headers passed through.

The streaming cases put the gateway in front of a stand-in file service (a
small Starlette app with the shapes the documents service serves: a file with
Range, a generated stream, an upload sink), reached in-process and over a real
socket, and watch the process's memory while hundreds of megabytes go through.
"""
from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import uvicorn
from congress_common.guard import malformed_path
from congress_gateway.app import create_gateway_app
from congress_gateway.asgi_stream import StreamingASGITransport
from congress_gateway.proxy import ServiceClients
from congress_gateway.settings import GatewaySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, StreamingResponse
from starlette.routing import Route

from congress_cli.live import free_port
from tests.asgi import raw_request
from tests.memory import PeakRss

MB = 1024 * 1024
ENCODED_TRAVERSAL = [
    ("GET", "/api/congresses/x%01"),
    ("GET", "/api/congresses/x%00y"),
    ("GET", "/api/congresses/x%7F"),
    ("GET", "/api/congresses/x%C2%85"),  # C1 control (NEL)
    ("GET", "/api/congresses/..%2F..%2Fmetrics"),
    ("GET", "/api/congresses/..%2F..%2Fopenapi.json"),
    ("POST", "/api/congresses/..%2F..%2Finternal/delegate-login"),
    ("GET", "/api/congresses/%2e%2e/%2e%2e/metrics"),
    ("GET", "/api/congresses/x%2Fdelegates"),
    ("GET", "/api/congresses/x%5C..%5Cmetrics"),
    ("GET", "/api/congresses/%C0%AE%C0%AE/metrics"),  # overlong UTF-8 dots
    ("GET", "/api/congresses/x%ZZ"),
    ("GET", "/api/congresses/x%"),
]
RAW_MALFORMED = [b"/api/congresses/x\x01", b"/api/congresses/./x", b"/api/congresses/../../metrics",
                 b"/api//congresses", b"/api/congresses/a\\b", b"/api/congresses/x\xc3\xa1"]


async def test_malformed_paths_are_400_before_routing(system, admin):
    """Was: ``x%01`` a 500 after seconds; ``..%2F..%2Fmetrics`` a 200 with a service's internals."""
    wrong = []
    for method, path in ENCODED_TRAVERSAL:
        reply = await system.request(method, path, headers=admin, json={"congress_id": "x", "code": "A", "pin": "1234"})
        if reply.status_code != 400 or reply.json()["detail"] != "Đường dẫn không hợp lệ":
            wrong.append((method, path, reply.status_code))
    for raw_path in RAW_MALFORMED:
        raw = await raw_request(system.app, "GET", raw_path)
        if raw.status != 400 or raw.json()["detail"] != "Đường dẫn không hợp lệ":
            wrong.append(("GET", raw_path, raw.status))
    assert wrong == []


@pytest.mark.parametrize("path", ["/api/congresses/Đại-hội", "/api/congresses/x%20y", "/api/congresses/",
                                  "/api/congresses/a.b", "/api/congresses/..a", "/api/congresses/%E1%BA%A1"])
def test_ordinary_paths_pass(path):
    assert malformed_path(httpx.URL("http://h" + path).raw_path) is None


async def test_services_refuse_traversal_on_their_own(system):
    """Each service runs the same guard: a direct call in the distributed run is refused too."""
    for name, client in system.app.state.gateway.clients.clients.items():
        reply = await client.get("/api/congresses/..%2F..%2Fmetrics")
        assert reply.status_code == 400, name


# --- streaming through the proxy, in-process and over a socket -------------------------------------------------

class Produced:
    """What the stand-in service produced and consumed, to see where the bytes were when."""

    def __init__(self) -> None:
        self.chunks_out = 0
        self.bytes_in = 0


def file_service(big_file: Path, produced: Produced) -> Starlette:
    chunk = b"\x5a" * MB

    async def download(_request: Request) -> FileResponse:
        return FileResponse(big_file, media_type="application/pdf", filename="Báo cáo chính trị.pdf")

    async def generated(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(int(request.query_params["mb"])):
                produced.chunks_out += 1
                yield chunk
        return StreamingResponse(body(), media_type="application/octet-stream",
                                 headers={"content-length": str(int(request.query_params["mb"]) * MB)})

    async def upload(request: Request) -> JSONResponse:
        async for part in request.stream():
            produced.bytes_in += len(part)
        return JSONResponse({"bytes": produced.bytes_in})

    return Starlette(routes=[Route("/api/congresses/{cid}/files/report.pdf", download),
                             Route("/api/congresses/{cid}/files/generated", generated),
                             Route("/api/congresses/{cid}/files/upload", upload, methods=["POST"])])


@contextlib.contextmanager
def served(app: Starlette) -> Iterator[str]:
    """``app`` on a real socket (uvicorn in a thread) for the distributed shape of the proxy."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest_asyncio.fixture(params=["in-process", "socket"])
async def proxied(request, tmp_path) -> AsyncIterator[tuple[httpx.AsyncClient, Produced, bytes]]:
    """A gateway whose check-in service is the stand-in; a client that streams replies (no buffering either)."""
    content = bytes(range(256)) * (3 * 4096)  # 3 MB, every byte value
    (tmp_path / "report.pdf").write_bytes(content)
    produced = Produced()
    marker = request.node.get_closest_marker("max_body_mb")
    limit_mb = marker.args[0] if marker else 20
    service = file_service(tmp_path / "report.pdf", produced)
    with contextlib.ExitStack() as stack:
        if request.param == "socket":
            clients = ServiceClients.remote({"checkin": stack.enter_context(served(service))}, timeout=30)
        else:
            clients = ServiceClients.in_process({"checkin": service})
        settings = GatewaySettings(mode="embedded", data_dir=tmp_path, database_url=None, secret_key="k" * 40,
                                   admin_password="mat-khau-thu-nghiem", max_body_bytes=limit_mb * MB)
        app = create_gateway_app(settings, settings.create_bus("test"), clients)
        async with app.router.lifespan_context(app):
            transport = StreamingASGITransport(app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://congress.test", timeout=60) as client:
                client.app = app  # type: ignore[attr-defined]
                yield client, produced, content


async def test_range_and_file_headers_pass_through(proxied):
    client, _produced, content = proxied
    whole = await client.get("/api/congresses/c1/files/report.pdf")
    assert whole.status_code == 200 and whole.content == content
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["etag"]
    assert whole.headers["content-length"] == str(len(content))
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in whole.headers["content-disposition"]
    part = await client.get("/api/congresses/c1/files/report.pdf", headers={"range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == content[1000:2000]
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(content)}"
    same = await client.get("/api/congresses/c1/files/report.pdf",
                            headers={"range": "bytes=0-9", "if-range": whole.headers["etag"]})
    changed = await client.get("/api/congresses/c1/files/report.pdf", headers={"range": "bytes=0-9", "if-range": '"x"'})
    assert (same.status_code, changed.status_code) == (206, 200) and len(changed.content) == len(content)


async def test_download_streams_with_flat_memory(proxied):
    client, produced, _content = proxied
    total, first_seen_at = 0, None
    with PeakRss() as rss:
        async with client.stream("GET", "/api/congresses/c1/files/generated", params={"mb": 300}) as reply:
            assert reply.headers["content-length"] == str(300 * MB)
            async for chunk in reply.aiter_raw():
                if first_seen_at is None:
                    first_seen_at = produced.chunks_out
                total += len(chunk)
    assert total == 300 * MB
    assert first_seen_at is not None and first_seen_at < 50, "the first bytes arrive before the service is done"
    assert rss.growth_mb < 100, f"memory grew {rss.growth_mb:.0f} MB for a 300 MB download"


@pytest.mark.max_body_mb(600)
async def test_upload_streams_with_flat_memory(proxied):
    client, _produced, _content = proxied
    chunk = b"\x00" * MB

    async def body() -> AsyncIterator[bytes]:
        for _ in range(500):
            yield chunk

    with PeakRss() as rss:
        reply = await client.post("/api/congresses/c1/files/upload", content=body())
    assert reply.status_code == 200 and reply.json() == {"bytes": 500 * MB}
    assert rss.growth_mb < 100, f"memory grew {rss.growth_mb:.0f} MB for a 500 MB upload"


async def test_body_limit_enforced_while_streaming(proxied):
    client, produced, _content = proxied
    sent = 0
    chunk = b"\x00" * MB

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(500):
            sent += len(chunk)
            yield chunk

    started = time.perf_counter()
    with PeakRss() as rss:
        reply = await client.post("/api/congresses/c1/files/upload", content=body())
    assert reply.status_code == 413 and "20 MB" in reply.json()["detail"]
    assert sent < 40 * MB, f"the gateway read {sent // MB} MB of a body over its 20 MB limit"
    assert produced.bytes_in <= 20 * MB
    assert rss.growth_mb < 60 and time.perf_counter() - started < 10


async def test_declared_oversize_refused_before_reading(proxied):
    client, produced, _content = proxied
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        pulled += 1
        yield b"\x00" * MB

    reply = await client.post("/api/congresses/c1/files/upload", content=body(),
                              headers={"content-length": str(500 * MB)})
    assert reply.status_code == 413 and pulled == 0 and produced.bytes_in == 0


async def test_unreachable_service_is_503(tmp_path):
    settings = GatewaySettings(mode="embedded", data_dir=tmp_path, database_url=None, secret_key="k" * 40,
                               admin_password="x" * 10)
    clients = ServiceClients.remote({"checkin": f"http://127.0.0.1:{free_port()}"}, timeout=2)
    app = create_gateway_app(settings, settings.create_bus("test"), clients)
    async with app.router.lifespan_context(app):
        reply = await raw_request(app, "GET", b"/api/congresses")
    assert reply.status == 503 and "điểm danh" in reply.json()["detail"]


async def test_proxy_holds_under_concurrent_streams(proxied):
    client, _produced, content = proxied
    replies = await asyncio.gather(*(client.get("/api/congresses/c1/files/report.pdf",
                                                headers={"range": f"bytes={i * 100}-{i * 100 + 99}"})
                                     for i in range(20)))
    assert [r.content for r in replies] == [content[i * 100:i * 100 + 100] for i in range(20)]
