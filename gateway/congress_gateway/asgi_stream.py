"""An httpx transport into an ASGI app that streams both ways (the embedded run's way to reach a service).

``httpx.ASGITransport`` waits for the app to finish and keeps the whole
response body in a list, and re-raises the app's errors into the caller. This
one returns as soon as the app starts its response and hands the body on chunk
by chunk through a small queue (``QUEUE_CHUNKS`` in flight), so the app waits
while the gateway's client reads (memory stays flat for a large download); the
app's end is queued after its last chunk, so reading a chunk is one ``get``.
The request body is pulled from the caller's stream only when the app asks for
it. An error raised by the caller's body stream (the gateway's body limit) ends
the app's request with a disconnect and is raised to the caller; an app that
fails before answering is a 500, and nothing is rendered twice.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
from congress_common.aio import cancel_and_wait
from starlette.types import ASGIApp, Message

QUEUE_CHUNKS = 1  # with the store's 1 MiB chunks: a download holds about 3 MiB, however large the file
_END = object()  # the app's last body message
_ENDED = object()  # the app's task is over (after its last message, or instead of it)


class _Exchange:
    """One request into the app: its receive/send callables and what they saw."""

    def __init__(self, request: httpx.Request) -> None:
        self.body: AsyncIterator[bytes] = request.stream.__aiter__()  # type: ignore[union-attr]
        self.request_done = False
        self.body_error: BaseException | None = None
        self.start: Message | None = None
        self.started = asyncio.Event()
        self.closed = asyncio.Event()
        self.chunks: asyncio.Queue[Any] = asyncio.Queue()  # unbounded, for _ENDED; the app's chunks wait on room
        self.room = asyncio.Semaphore(QUEUE_CHUNKS)

    def app_ended(self, _task: asyncio.Task[None]) -> None:
        self.chunks.put_nowait(_ENDED)

    async def receive(self) -> Message:
        if self.request_done:
            await self.closed.wait()
            return {"type": "http.disconnect"}
        try:
            chunk = await self.body.__anext__()
        except StopAsyncIteration:
            self.request_done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        except Exception as exc:  # noqa: BLE001 - handed to the caller once the app has stopped
            self.request_done, self.body_error = True, exc
            self.closed.set()
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            self.started.set()
        elif message["type"] == "http.response.body":
            if body := message.get("body", b""):
                await self.room.acquire()
                self.chunks.put_nowait(bytes(body))
            if not message.get("more_body", False):
                self.chunks.put_nowait(_END)


class _QueueStream(httpx.AsyncByteStream):
    _finishing: set[asyncio.Task[None]] = set()  # apps still running their background work after the body

    def __init__(self, exchange: _Exchange, task: asyncio.Task[None]) -> None:
        self.exchange, self.task = exchange, task
        self.complete = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        exchange = self.exchange
        while True:
            chunk = await exchange.chunks.get()
            if chunk is _END:
                self.complete = True
                return
            if chunk is _ENDED:  # the app ended without finishing its body
                return
            exchange.room.release()
            yield chunk

    async def aclose(self) -> None:
        self.exchange.closed.set()
        if self.complete and not self.task.done():
            self._finishing.add(self.task)  # background tasks after the body: let them finish
            self.task.add_done_callback(self._finishing.discard)
            return
        await cancel_and_wait(self.task)


class StreamingASGITransport(httpx.AsyncBaseTransport):
    def __init__(self, app: ASGIApp, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app, self.client = app, client

    def _scope(self, request: httpx.Request) -> dict[str, Any]:
        return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
                "method": request.method, "headers": [(k.lower(), v) for k, v in request.headers.raw],
                "scheme": request.url.scheme, "path": request.url.path,
                "raw_path": request.url.raw_path.split(b"?")[0], "query_string": request.url.query,
                "server": (request.url.host, request.url.port), "client": self.client, "root_path": ""}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(request)
        task = asyncio.create_task(self._run(exchange, self._scope(request)))
        task.add_done_callback(exchange.app_ended)
        started = asyncio.ensure_future(exchange.started.wait())
        await asyncio.wait([started, task], return_when=asyncio.FIRST_COMPLETED)
        started.cancel()
        if exchange.body_error is not None:  # whatever the app answered to the cut-off request
            await cancel_and_wait(task)
            raise exchange.body_error
        if exchange.start is None:
            return httpx.Response(500, json={"detail": "Lỗi hệ thống, vui lòng thử lại"})
        return httpx.Response(exchange.start["status"], headers=exchange.start.get("headers", []),
                              stream=_QueueStream(exchange, task))

    async def _run(self, exchange: _Exchange, scope: dict[str, Any]) -> None:
        try:
            await self.app(scope, exchange.receive, exchange.send)
        except Exception:  # noqa: BLE001, S110 - the app's own guard has logged it; the response ends here
            pass
