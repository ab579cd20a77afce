"""The distributed run on one machine: each service and the gateway in its own process.

PostgreSQL (``DATABASE_URL``, one schema per service) and Redis Streams (or
Kafka with ``--bus kafka``) must be running; the secret and the admin
password must be set, since a default secret refuses to start here.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import asyncpg
from congress_common.settings import ServiceSettings
from sqlalchemy.engine import make_url

PORT_BASE = int(os.environ.get("CONGRESS_SERVICE_PORT_BASE", "8100"))
SERVICES = {"checkin": PORT_BASE + 1, "seating": PORT_BASE + 2, "documents": PORT_BASE + 3}
DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/congress"


async def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist yet."""
    parsed = make_url(url)
    dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", parsed.database):
            await conn.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await conn.close()


def service_env(name: str, port: int, bus: str, database_url: str, prefix: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update(CONGRESS_MODE="distributed", CONGRESS_BUS=bus, DATABASE_URL=database_url,
               CONGRESS_DATABASE_SCHEMA=f"{prefix}{name}", CONGRESS_LOG_JSON="true", PORT=str(port))
    return env


def spawn(module: str, host: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "uvicorn", f"{module}.main:app", "--host", host,
                             "--port", str(port), "--log-level", "warning", "--timeout-keep-alive",
                             str(ServiceSettings().keep_alive_seconds)], env=env)


def run_distributed(*, host: str, port: int, bus: str, schema_prefix: str = "") -> int:
    for var in ("CONGRESS_SECRET_KEY", "CONGRESS_ADMIN_PASSWORD", "CONGRESS_FACE_KEY"):
        if not os.environ.get(var):
            print(f"{var} must be set for the distributed run", file=sys.stderr)
            return 2
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    asyncio.run(ensure_database(database_url))
    children = [spawn(f"congress_{name}", "127.0.0.1", svc_port, service_env(name, svc_port, bus, database_url, schema_prefix))
                for name, svc_port in SERVICES.items()]
    gateway_env = service_env("gateway", port, bus, database_url, schema_prefix)
    gateway_env.update({f"CONGRESS_{name.upper()}_URL": f"http://127.0.0.1:{p}" for name, p in SERVICES.items()})
    children.append(spawn("congress_gateway", host, port, gateway_env))
    print(f"Đại hội Công đoàn (distributed, bus={bus}): http://{host}:{port}", flush=True)
    return supervise(children)


def supervise(children: list[subprocess.Popen]) -> int:
    """Wait until a signal or until one child exits; then stop them all."""
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping:
        exited = [c for c in children if c.poll() is not None]
        if exited:
            code = exited[0].returncode or 1
            print(f"a service exited with {exited[0].returncode}; stopping the others", file=sys.stderr)
            break
        time.sleep(0.2)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
    return code
