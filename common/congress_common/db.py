"""Async SQLAlchemy engines for SQLite (embedded) and PostgreSQL (distributed), and Alembic upgrades."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """A timestamp that always comes back aware (UTC): SQLite keeps no offset, so a naive value read is UTC.

    Without it a time read from SQLite goes out as ``2023-08-10T01:30:00`` and a browser in Vietnam shows it
    seven hours early.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

DATABASE_UNAVAILABLE = "Cơ sở dữ liệu tạm thời không phản hồi, vui lòng thử lại sau giây lát"
# SQLSTATE classes of a lost or refused connection: 08 connection exception, 57P operator intervention
# (admin shutdown, crash shutdown, cannot connect now), 53 insufficient resources (too many connections)
_UNAVAILABLE_SQLSTATES = ("08", "57P", "53")


def database_unavailable(exc: BaseException) -> bool:
    """Is ``exc`` the database being away (refused, cut, restarting, locked) rather than a bad query?"""
    if isinstance(exc, ConnectionError):  # asyncpg raises the socket's own errors at connect
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or ""
    return str(sqlstate).startswith(_UNAVAILABLE_SQLSTATES)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, schema: str | None = None) -> AsyncEngine:
    """An engine; on SQLite with WAL and a busy timeout, on PostgreSQL inside ``schema``."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    connect_args = {"server_settings": {"search_path": schema}} if schema else {}
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def advisory_lock_key(*parts: str | None) -> int:
    """A PostgreSQL advisory-lock key (signed 64-bit) named by ``parts``, the same in every process."""
    digest = hashlib.blake2b(":".join(p or "" for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def upgrade_database(engine: AsyncEngine, migrations_dir: Path, *, schema: str | None = None) -> None:
    """Create the schema if needed and run the service's Alembic migrations to head.

    On PostgreSQL this happens in one transaction that first takes an advisory
    lock named by the schema and the migrations, so instances of a service
    started together migrate one after the other: the first upgrades, the
    others then find the schema at head and do nothing.
    """
    async with engine.begin() as conn:
        if not is_sqlite(str(engine.url)):
            key = advisory_lock_key("migrate", schema, migrations_dir.name, migrations_dir.parent.name)
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            if schema:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        await conn.run_sync(_upgrade, migrations_dir)


def _upgrade(connection: Connection, migrations_dir: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
