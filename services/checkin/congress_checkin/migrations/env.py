"""Alembic environment of this service (see congress_common.migrations)."""
from congress_checkin.adapters.orm import Base
from congress_common.migrations import run_migrations

run_migrations(Base.metadata)
