"""The body of every service's Alembic ``env.py``: run on the connection the service hands over."""
from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData, create_engine


def run_migrations(metadata: MetaData) -> None:
    """Migrate on ``config.attributes["connection"]`` (set by ``congress_common.db.upgrade_database``),
    or, from the ``alembic`` command line, on ``sqlalchemy.url``."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
