"""Private servers for the fault tests and ``congress bench faults``: a redis-server and a PostgreSQL cluster of
their own, on free loopback ports, that can be stopped and started again without touching the shared ones."""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .live import free_port


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_listening(port: int, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not _accepts(port):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not listen on {port} within {timeout} s")
        time.sleep(0.05)


class PrivateRedis:
    """A redis-server on its own port with an append-only file, so its streams survive a stop and a start."""

    def __init__(self, work_dir: Path, port: int | None = None) -> None:
        self.work_dir, self.port = work_dir, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (Debian: redis-server)")
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.work_dir), "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.port, 15, "redis-server", self.process)

    def stop(self) -> None:
        """SIGTERM: Redis flushes its append-only file and exits, as a restarted production Redis would."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(15)
            self.process = None


def postgres_bin(name: str) -> str:
    for candidate in (shutil.which(name), *sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    raise RuntimeError(f"{name} is not installed (Debian: postgresql)")


class PrivatePostgres:
    """A PostgreSQL cluster made with initdb in a temporary folder, trust auth on 127.0.0.1:``port``.

    PostgreSQL refuses to run as root: as root the cluster belongs to the ``postgres`` user.
    """

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.data_dir: Path | None = None
        self.user = "postgres" if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", self.user, "--"] if self.user else []), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="congress-pg-"))
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        self._run(postgres_bin("initdb"), "-D", str(self.data_dir / "data"), "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        assert self.data_dir is not None, "create() first"
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} -c fsync=off "
                   "-c max_connections=200")
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data_dir / "data"), "-o", options,
                  "-l", str(self.data_dir / "postgres.log"), "-w", "start")
        wait_listening(self.port, 30, "postgres")

    def stop(self, mode: str = "immediate") -> None:
        """``immediate``: the server goes away at once, as in a crash (clients' connections are cut)."""
        assert self.data_dir is not None
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data_dir / "data"), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        if self.data_dir is None:
            return
        with contextlib.suppress(subprocess.SubprocessError, RuntimeError):
            self.stop("fast")
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir = None


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.create()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@contextlib.contextmanager
def private_redis(work_dir: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(work_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
