"""A real running system (``congress up`` in a child process) for end-to-end tests."""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx

from tests.conftest import ADMIN_PASSWORD


def system_env(**extra: str) -> dict[str, str]:
    return {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_BUS_NAMESPACE": f"e2e-{uuid.uuid4().hex[:8]}", **extra}


@contextlib.asynccontextmanager
async def staff_client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        reply = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
        assert reply.status_code == 200, reply.text
        client.headers["authorization"] = f"Bearer {reply.json()['access_token']}"
        yield client

