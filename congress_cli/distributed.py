"""The distributed run on one machine: each service and the gateway in its own process.

PostgreSQL (``DATABASE_URL``, one schema per service) must be running, and
Redis (``REDIS_URL``) for the Redis Streams bus; with ``--bus kafka`` and no
``KAFKA_BOOTSTRAP_SERVERS`` the bundled tansu is started (memory only). The
secret and the admin password must be set, since a default secret refuses to
start here. A service that dies (a crash, ``kill -9``) is started again; one
that cannot start at all stops the whole run.
"""
from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from congress_common.settings import ServiceSettings
from sqlalchemy.engine import make_url

from .children import die_with_parent
from .tansu import kafka_broker

PORT_BASE = int(os.environ.get("CONGRESS_SERVICE_PORT_BASE", "8100"))
SERVICES = {"checkin": PORT_BASE + 1, "seating": PORT_BASE + 2, "documents": PORT_BASE + 3}
DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/congress"
STARTUP_GRACE_S = 15.0  # a child that exits by itself sooner than this after its start could not start


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


def free_port_base() -> int:
    for _ in range(50):
        base = random.randrange(20000, 60000, 10)
        if all(_free(base + i) for i in range(1, 4)):
            return base
    raise RuntimeError("no free port range")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def service_env(name: str, port: int, bus: str, database_url: str, prefix: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update(CONGRESS_MODE="distributed", CONGRESS_BUS=bus, DATABASE_URL=database_url,
               CONGRESS_DATABASE_SCHEMA=f"{prefix}{name}", CONGRESS_LOG_JSON="true", PORT=str(port))
    return env


def spawn(module: str, host: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "uvicorn", f"{module}.main:app", "--host", host,
                             "--port", str(port), "--log-level", "warning", "--timeout-keep-alive",
                             str(ServiceSettings().keep_alive_seconds)], env=env,
                            preexec_fn=die_with_parent())


@dataclass
class Child:
    """One process of the run (a service or the gateway), which can be started again with the same settings."""

    name: str
    host: str
    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = spawn(f"congress_{self.name}", self.host, self.port, self.env)
        self.started_at = time.monotonic()

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, timeout: float = 10) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def children_for(*, host: str, port: int, bus: str, database_url: str, schema_prefix: str = "",
                 extra_env: dict[str, str] | None = None) -> list[Child]:
    """The three services on 127.0.0.1 (``CONGRESS_SERVICE_PORT_BASE`` + 1…3) and the gateway on ``host:port``."""
    children = []
    for name, svc_port in SERVICES.items():
        children.append(Child(name, "127.0.0.1", svc_port,
                              {**service_env(name, svc_port, bus, database_url, schema_prefix), **(extra_env or {})}))
    gateway_env = {**service_env("gateway", port, bus, database_url, schema_prefix), **(extra_env or {})}
    gateway_env.update({f"CONGRESS_{name.upper()}_URL": f"http://127.0.0.1:{p}" for name, p in SERVICES.items()})
    children.append(Child("gateway", host, port, gateway_env))
    return children


def run_distributed(*, host: str, port: int, bus: str, data_dir: Path = Path("var"), schema_prefix: str = "") -> int:
    for var in ("CONGRESS_SECRET_KEY", "CONGRESS_ADMIN_PASSWORD", "CONGRESS_FACE_KEY"):
        if not os.environ.get(var):
            print(f"{var} must be set for the distributed run", file=sys.stderr)
            return 2
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    asyncio.run(ensure_database(database_url))
    with kafka_broker(bus, data_dir) as bus_env:
        children = children_for(host=host, port=port, bus=bus, database_url=database_url,
                                schema_prefix=schema_prefix, extra_env=bus_env)
        for child in children:
            child.start()
        print(f"Đại hội Công đoàn (distributed, bus={bus}): http://{host}:{port}", flush=True)
        return supervise(children)


def supervise(children: list[Child]) -> int:
    """Until a signal: start again a child that was killed or died after it had started; stop all if one
    cannot start (it exits by itself within ``STARTUP_GRACE_S``: bad settings, no database...)."""
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping and not code:
        for child in children:
            if (returncode := child.exited()) is None:
                continue
            killed = returncode < 0  # by a signal: kill -9, the OOM killer, a segfault
            if not killed and time.monotonic() - child.started_at < STARTUP_GRACE_S:
                print(f"{child.name} could not start (exit {returncode}); stopping the others", file=sys.stderr)
                code = returncode or 1
                break
            child.restarts += 1
            print(f"{child.name} exited with {returncode}: starting it again (restart {child.restarts})",
                  file=sys.stderr, flush=True)
            child.start()
        time.sleep(0.2)
    for child in children:
        child.stop()
    for child in children:
        child.wait()
    return code
