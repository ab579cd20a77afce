"""`congress up` (what `make run` starts): the whole flow over real HTTP, with the in-process and Redis bus."""
from __future__ import annotations

import os

import httpx
import pytest

from congress_cli.live import drop_redis_namespace, running_system
from tests.conftest import need_service
from tests.e2e.conftest import staff_client, system_env
from tests.e2e.flow import congress_flow, read_models_caught_up

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("bus", ["inprocess", "redis"])
async def test_embedded_flow(tmp_path, bus):
    env = system_env()
    if bus == "redis":
        env["REDIS_URL"] = need_service("REDIS_URL", "Redis")
    try:
        with running_system(tmp_path, "--bus", bus, env=env) as system:
            async with staff_client(system.base_url) as client:
                result = await congress_flow(client, system.base_url)
                await read_models_caught_up(client, result["cid"], 300, result["present_ids"])
                assert (await client.get("/")).status_code == 200
                assert "/api/congresses/{cid}/checkins" in (await client.get("/openapi.json")).json()["paths"]
    finally:
        if bus == "redis":
            drop_redis_namespace(env["REDIS_URL"], env["CONGRESS_BUS_NAMESPACE"])


def test_port_variable_is_honoured(tmp_path):
    with running_system(tmp_path, env=system_env()) as system:
        health = httpx.get(f"{system.base_url}/healthz").json()
        assert health["ready"] and set(health["services"]) == {"checkin", "seating", "documents"}


def test_stop_and_restart_keeps_data(tmp_path):
    env = system_env()
    with running_system(tmp_path, env=env) as system:
        token = httpx.post(f"{system.base_url}/api/auth/token", data={"username": "admin", "password": env[
            "CONGRESS_ADMIN_PASSWORD"]}).json()["access_token"]
        headers = {"authorization": f"Bearer {token}"}
        httpx.post(f"{system.base_url}/api/congresses", json={"name": "Đại hội CĐCS Trường THPT Lam Sơn"},
                   headers=headers).raise_for_status()
    with running_system(tmp_path, env=env) as system:
        names = [c["name"] for c in httpx.get(f"{system.base_url}/api/congresses", headers=headers).json()]
        assert names == ["Đại hội CĐCS Trường THPT Lam Sơn"]
    assert os.path.exists(tmp_path / "var" / "checkin.db")
