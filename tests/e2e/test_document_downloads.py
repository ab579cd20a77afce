"""A hall opening one document at once, on the real server (``congress up``: uvicorn, the gateway's streaming
proxy, the documents service, the PDF worker): every download arrives whole, memory stays flat, and a phone's
connection is never closed by the server while the phone still means to reuse it.

The bug this guards: uvicorn closes an idle connection after 5 s by default, which is exactly httpx's own
idle reuse window, and for a large download the server's clock starts when it has handed the last byte to the
kernel, seconds before a slow phone has read it. At 64 concurrent downloads the client kept sending its next
request on connections the server was closing (``ReadError`` / "Server disconnected" in the benchmark).
"""
from __future__ import annotations

import asyncio
import hashlib

import httpx
import pytest
from congress_common.pdf import Fonts
from congress_documents.samples import sample_pdf

from congress_cli.bench_documents import set_up_congress
from congress_cli.live import running_system
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.conftest import system_env
from tests.memory import MB, PeakRss

pytestmark = pytest.mark.e2e
HALL = 64  # concurrent phones


async def _open_document(client: httpx.AsyncClient, base: str, token: str, trace) -> bytes:
    headers = {"authorization": f"Bearer {token}"}
    page = await client.get(f"{base}/pages/1", params={"width": 800, "v": 1}, headers=headers,
                            extensions={"trace": trace})
    assert page.status_code == 200 and page.content[:4] == b"RIFF"
    digest = hashlib.sha256()
    async with client.stream("GET", f"{base}/file", headers=headers, extensions={"trace": trace}) as reply:
        assert reply.status_code == 200
        async for chunk in reply.aiter_raw():
            digest.update(chunk)
    return digest.digest()


async def test_a_hall_downloads_whole_files_on_connections_the_server_keeps(tmp_path):
    fonts = Fonts.locate()
    data = sample_pdf(fonts, title="Báo cáo chính trị", pages=12, photo_bytes_per_page=250_000)
    secret = sample_pdf(fonts, title="Danh sách ứng cử", pages=1)
    expected = hashlib.sha256(data).digest()
    env = system_env(CONGRESS_RATE_LIMIT_API="100000/second")
    with running_system(tmp_path, env=env, timeout=90) as system:
        async with httpx.AsyncClient(base_url=system.base_url, timeout=60) as setup_client:
            world = await set_up_congress(setup_client, HALL, data, secret, password=ADMIN_PASSWORD)
        base = f"/api/congresses/{world['cid']}/documents/{world['doc']}"
        connections: list[str] = []

        async def trace(name: str, _info: dict) -> None:
            if name == "connection.connect_tcp.complete":
                connections.append(name)

        # phones and proxies reuse an idle connection for longer than uvicorn's default 5 s
        limits = httpx.Limits(max_connections=HALL, max_keepalive_connections=HALL, keepalive_expiry=60)
        async with httpx.AsyncClient(base_url=system.base_url, timeout=60, limits=limits) as hall:
            with PeakRss(system.process.pid) as rss:
                first = await asyncio.gather(*(_open_document(hall, base, t, trace) for t in world["tokens"]))
            assert first == [expected] * HALL, "every phone gets the whole file"
            opened = len(connections)
            assert opened <= HALL
            await asyncio.sleep(6.5)  # the hall listens to a speech; the phones keep their connections
            again = await asyncio.gather(*(_open_document(hall, base, t, trace) for t in world["tokens"]))
            assert again == [expected] * HALL
            assert len(connections) == opened, (
                f"the server closed {len(connections) - opened} idle connections the phones meant to reuse")
        assert rss.growth_mb < HALL * len(data) / MB / 4, (
            f"memory grew {rss.growth_mb:.0f} MB for {HALL} concurrent downloads of {len(data) / MB:.1f} MB")
