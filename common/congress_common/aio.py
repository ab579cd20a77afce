"""asyncio helpers shared by the bus adapters, the outbox relay and the gateway."""
from __future__ import annotations

import asyncio


async def cancel_and_wait(task: asyncio.Task | None, *, every_s: float = 0.1) -> None:
    """Cancel ``task`` until it has ended.

    Python 3.11's ``asyncio.wait_for`` (inside redis-py and in our own waits)
    can swallow a cancellation that races with its inner future finishing, so
    one ``cancel()`` is not always enough: a stop could hang forever.
    """
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=every_s)
