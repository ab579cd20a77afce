"""Each service's Alembic migrations build exactly what its models declare (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from congress_checkin.adapters.orm import Base as CheckinBase
from congress_checkin.bootstrap import MIGRATIONS as CHECKIN
from congress_common.db import create_engine, upgrade_database
from congress_documents.adapters.orm import Base as DocumentsBase
from congress_documents.bootstrap import MIGRATIONS as DOCUMENTS
from congress_gateway.app import HERE as GATEWAY_DIR
from congress_gateway.identity import Base as GatewayBase
from congress_seating.adapters.orm import Base as SeatingBase
from congress_seating.bootstrap import MIGRATIONS as SEATING

SERVICES = {
    "checkin": (CheckinBase.metadata, CHECKIN),
    "seating": (SeatingBase.metadata, SEATING),
    "documents": (DocumentsBase.metadata, DOCUMENTS),
    "gateway": (GatewayBase.metadata, GATEWAY_DIR / "migrations"),
}


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_migrations_match_models(database, service):
    metadata, migrations = SERVICES[service]
    engine = create_engine(database.url, schema=database.schema)
    await upgrade_database(engine, migrations, schema=database.schema)
    await upgrade_database(engine, migrations, schema=database.schema)  # a second start is a no-op
    async with engine.connect() as conn:
        diff = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    await engine.dispose()
    assert diff == [], f"{service}: models and migrations differ: {diff}"


async def test_existing_check_ins_move_into_a_first_session(database):
    """0005 gives every congress a first session holding its check-ins: nobody's attendance is lost."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    def upgrade(connection, revision: str) -> None:
        config = Config()
        config.set_main_option("script_location", str(CHECKIN))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    engine = create_engine(database.url, schema=database.schema)
    if database.schema:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{database.schema}"'))
    async with engine.begin() as conn:
        await conn.run_sync(upgrade, "0004_withdrawal")
        await conn.execute(text("INSERT INTO congresses (id, name, level, created_at) "
                                "VALUES ('c1', 'Đại hội thử', 'province', CURRENT_TIMESTAMP)"))
        await conn.execute(text("INSERT INTO delegations (id, congress_id, name, name_key) "
                                "VALUES ('g1', 'c1', 'LĐLĐ huyện Mường Lát', 'ldld huyen muong lat')"))
        await conn.execute(text("INSERT INTO delegates (id, congress_id, code, full_name, sort_key, search_key, "
                                "delegation_id, kind, roles, badge_version, created_at, updated_at) VALUES ('d1', 'c1', "
                                "'DB001', 'Nguyễn Thị Thủy', 'k', 's', 'g1', 'official', '[]', 1, CURRENT_TIMESTAMP, "
                                "CURRENT_TIMESTAMP)"))
        await conn.execute(text("INSERT INTO checkins (id, congress_id, delegate_id, method, checked_in_at, actor) "
                                "VALUES ('k1', 'c1', 'd1', 'desk', CURRENT_TIMESTAMP, 'admin')"))
    await upgrade_database(engine, CHECKIN, schema=database.schema)
    async with engine.connect() as conn:
        current = (await conn.execute(text("SELECT current_session_id FROM congresses WHERE id = 'c1'"))).scalar_one()
        session = (await conn.execute(text("SELECT session_id FROM checkins WHERE id = 'k1'"))).scalar_one()
        name = (await conn.execute(text("SELECT name FROM congress_sessions WHERE id = :s"), {"s": current})).scalar_one()
    await engine.dispose()
    assert current and session == current and name == "Phiên thứ nhất"
