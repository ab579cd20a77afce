"""Alembic environment: runs on the connection the service hands over (see congress_common.db)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from congress_checkin.adapters.orm import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` on the command line: an offline-capable URL is required
    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
