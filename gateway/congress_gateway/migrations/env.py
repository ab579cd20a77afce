"""Alembic environment of this service (see congress_common.migrations)."""
from congress_common.migrations import run_migrations
from congress_gateway.identity import Base

run_migrations(Base.metadata)
