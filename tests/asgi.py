"""Raw ASGI requests, for paths no HTTP client would send as they are (raw control bytes, dot segments)."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from starlette.types import ASGIApp, Message


@dataclass
class RawReply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


async def raw_request(app: ASGIApp, method: str, raw_path: bytes, *, headers: Sequence[tuple[str, str]] = (),
                      body: bytes = b"", query: bytes = b"", enough: Callable[[bytes], bool] | None = None) -> RawReply:
    """Call ``app`` as uvicorn would for this request line: ``raw_path`` as sent, ``path`` percent-decoded.
    ``enough``: hang up once the body read so far satisfies it (for a stream that never ends, such as SSE)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": unquote(raw_path.decode("latin-1"), encoding="latin-1"), "raw_path": raw_path,
             "query_string": query, "root_path": "", "server": ("congress.test", 80), "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"congress.test"), *((k.lower().encode(), v.encode()) for k, v in headers),
                         *([(b"content-length", str(len(body)).encode())] if body else [])]}
    sent = False
    status, reply_headers, chunks = 0, {}, []

    async def receive() -> Message:
        nonlocal sent
        if sent:  # the client stays connected until the response is complete
            await asyncio.Event().wait()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            reply_headers.update({k.decode(): v.decode() for k, v in message.get("headers", [])})
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if enough is not None and enough(b"".join(chunks)):
                hang_up.set()

    hang_up = asyncio.Event()
    task, hung_up = asyncio.ensure_future(app(scope, receive, send)), asyncio.ensure_future(hang_up.wait())
    await asyncio.wait([task, hung_up], timeout=60, return_when=asyncio.FIRST_COMPLETED)
    for pending in (task, hung_up):
        pending.cancel()
    await asyncio.gather(task, hung_up, return_exceptions=True)
    if not task.cancelled() and task.done() and task.exception() is not None and not hang_up.is_set():
        raise task.exception()
    return RawReply(status, reply_headers, b"".join(chunks))
