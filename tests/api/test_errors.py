"""Bad input gets a clear 4xx with a message, never a 500, and loses nothing."""
from __future__ import annotations

import pytest

from tests.conftest import create_random_delegate

BAD_BODIES = [
    ("POST", "/api/congresses", {"name": ""}),
    ("POST", "/api/congresses", {"name": "Đại hội", "level": "planet"}),
    ("POST", "/api/congresses/{cid}/delegates", {"full_name": "A"}),
    ("POST", "/api/congresses/{cid}/delegates", {"full_name": "Lò Văn Pọm", "delegation": "LĐLĐ huyện Mường Lát",
                                                 "kind": "vip"}),
    ("POST", "/api/congresses/{cid}/delegates", {"full_name": "Lò Văn Pọm", "delegation": "LĐLĐ huyện Mường Lát",
                                                 "birth_year": 1800}),
    ("POST", "/api/congresses/{cid}/checkins", {}),
    ("POST", "/api/congresses/{cid}/checkins", {"delegate_id": "x", "qr": "y"}),
    ("POST", "/api/congresses/{cid}/checkins", {"qr": "rác"}),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_BODIES)
async def test_bad_bodies_get_422_with_message(system, admin, congress, method, path, body):
    reply = await system.request(method, path.format(cid=congress), json=body, headers=admin)
    assert reply.status_code == 422, reply.text
    assert reply.json()["detail"]


async def test_not_found_and_malformed(system, admin, congress):
    missing = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": "khong-co"}, headers=admin)
    assert missing.status_code == 404 and missing.json()["detail"] == "Không tìm thấy đại biểu"
    assert (await system.get("/api/congresses/khong-co", headers=admin)).status_code == 404
    raw = await system.post(f"/api/congresses/{congress}/delegates", content=b"{not json", headers={
        **admin, "content-type": "application/json"})
    assert raw.status_code == 422
    assert (await system.get("/api/khong-co", headers=admin)).status_code == 404


async def test_duplicate_code_conflicts(system, admin, congress):
    await create_random_delegate(system, admin, congress, code="TH-01")
    reply = await system.post(f"/api/congresses/{congress}/delegates", headers=admin, json={
        "full_name": "Hà Thị Lan", "delegation": "Công đoàn ngành Y tế", "code": "TH-01"})
    assert reply.status_code == 409 and "TH-01" in reply.json()["detail"]


async def test_login_rate_limited(system):
    replies = [await system.post("/api/auth/token", data={"username": "ke-do-mat-khau", "password": "x"})
               for _ in range(32)]
    assert replies[0].status_code == 401 and replies[-1].status_code == 429
    assert replies[-1].json()["detail"]


async def test_request_id_echoed(system, admin):
    reply = await system.get("/healthz", headers={"x-request-id": "req-123"})
    assert reply.headers["x-request-id"] == "req-123"
    assert (await system.get("/metrics")).status_code == 200
