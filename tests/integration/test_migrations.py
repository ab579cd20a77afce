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
