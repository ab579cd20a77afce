"""Databases for integration tests: SQLite always, PostgreSQL from DATABASE_URL (a fresh schema per test)."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from congress_common.db import create_engine
from sqlalchemy import text

from tests.conftest import need_service


@dataclass
class Database:
    url: str
    schema: str | None


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        yield Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}", None)
        return
    url = need_service("DATABASE_URL", "PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield Database(url, schema)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await engine.dispose()
