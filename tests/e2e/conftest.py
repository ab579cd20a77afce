"""A real running system (``congress up`` in a child process) for end-to-end tests."""
from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Playwright

from tests.conftest import ADMIN_PASSWORD, skip_unless_ci

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def system_env(**extra: str) -> dict[str, str]:
    return {"CONGRESS_ADMIN_PASSWORD": ADMIN_PASSWORD, "CONGRESS_BUS_NAMESPACE": f"e2e-{uuid.uuid4().hex[:8]}", **extra}


@contextlib.asynccontextmanager
async def staff_client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        reply = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
        assert reply.status_code == 200, reply.text
        client.headers["authorization"] = f"Bearer {reply.json()['access_token']}"
        yield client



def chromium_path() -> str:
    """The system Chromium; skip without one, except under CI=true (CI installs it with apt) where that fails."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if path and os.path.exists(path):
        return path
    skip_unless_ci("no Chromium binary: set CHROMIUM_PATH or install chromium (apt-get install chromium)")


def camera_browser(playwright: Playwright, camera: Path, viewport: dict[str, int], base_url: str) -> BrowserContext:
    """A Chromium whose camera plays ``camera`` (a .y4m file), allowed without asking; close it with
    ``context.browser.close()``."""
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-video-capture={camera}"])
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport=viewport, permissions=["camera"])
    context.set_default_timeout(30_000)
    return context
