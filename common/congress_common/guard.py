"""The first thing every app here does with a request: refuse what no route should ever see, cheaply.

``RequestGuard`` is a pure ASGI middleware, outside routing:

- a malformed path is a 400 before any route matches: control characters
  (raw or percent-encoded, ``%00``–``%1F``, ``%7F``, C1), encoded slashes and
  backslashes (``%2F``, ``%5C``, ``\\``), dot segments (``.``, ``..``,
  ``%2E%2E``), empty segments, bad percent-escapes, non-UTF-8 — the proxy never
  builds an upstream URL from one, so ``..%2F..%2Fmetrics`` cannot walk out
  of ``/api``;
- a body larger than its route's limit (``BodyLimits``: one for every route,
  a larger one for document uploads) is a 413: at once when ``Content-Length``
  says so, otherwise as soon as the streamed bytes pass the limit (nothing is
  buffered here, so memory stays flat whatever is sent);
- an unexpected error is one short log line (type, message, where) and a
  Vietnamese 500, without a traceback or local variables rendered on the event
  loop, and it is not re-raised to the server (which would log it again).
"""
from __future__ import annotations

import json
import re
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

import structlog
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger(__name__)

MALFORMED_PATH = "Đường dẫn không hợp lệ"
TOO_LARGE = "Dữ liệu gửi lên quá lớn (tối đa {mb} MB)"
DOCUMENT_TOO_LARGE = ("Tệp quá lớn: tối đa {mb} MB cho một tài liệu; hãy giảm dung lượng (nén ảnh) "
                      "hoặc chia nhỏ tệp")
UNEXPECTED = "Lỗi hệ thống, vui lòng thử lại"
_HEX = frozenset(b"0123456789abcdefABCDEF")
_ENCODED_SEPARATORS = (b"%2f", b"%5c")


# routes that take a whole document (a political report with photos runs to tens of MB), in the gateway and
# in the documents service alike: the gateway forwards the path as it came
DOCUMENT_UPLOADS = re.compile(r"^/api/congresses/[^/]+/documents(/[^/]+/versions)?$")
MULTIPART_SLACK = 64 * 1024  # the form's other fields and part headers around the file


@dataclass(frozen=True)
class BodyLimits:
    """The largest body each request may send: ``document_bytes`` (plus the form around it) for a document
    upload, ``default`` for everything else."""

    default: int
    document_bytes: int = 0

    def for_request(self, method: str, path: str) -> tuple[int, str]:
        """The limit of this request and what a 413 says when it is passed."""
        if method == "POST" and self.document_bytes and DOCUMENT_UPLOADS.match(path):
            return (max(self.default, self.document_bytes + MULTIPART_SLACK),
                    document_too_large(self.document_bytes))
        return self.default, TOO_LARGE.format(mb=_mb(self.default))


def _mb(size: int) -> int:
    return max(1, size // (1024 * 1024))


def document_too_large(max_bytes: int) -> str:
    return DOCUMENT_TOO_LARGE.format(mb=_mb(max_bytes))


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit


def malformed_path(raw_path: bytes) -> str | None:
    """Why ``raw_path`` (as sent, percent-encoded) is refused, or ``None`` when it is a clean path."""
    if not raw_path.startswith(b"/"):
        return "not absolute"
    if any(byte < 0x21 or byte > 0x7E for byte in raw_path):
        return "raw control or non-ASCII byte"
    lowered = raw_path.lower()
    if b"\\" in raw_path or any(sep in lowered for sep in _ENCODED_SEPARATORS):
        return "encoded separator"
    for at in range(len(raw_path)):
        if raw_path[at] == 0x25 and not (raw_path[at + 1:at + 2] and raw_path[at + 1] in _HEX
                                         and raw_path[at + 2:at + 3] and raw_path[at + 2] in _HEX):
            return "bad percent-escape"
    try:
        decoded = unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if any(unicodedata.category(char) == "Cc" for char in decoded):
        return "control character"
    segments = decoded.split("/")[1:]
    if any(segment in (".", "..") for segment in segments):
        return "dot segment"
    if any(segment == "" for segment in segments[:-1]):
        return "empty segment"
    return None


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


def _where(exc: BaseException) -> str:
    """``file:line in function`` of the innermost frame: enough to find the bug, cheap to render."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


async def json_reply(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Malformed paths (400), oversized bodies (413) and unexpected errors (a short line, 500)."""

    def __init__(self, app: ASGIApp, service: str, limits: BodyLimits) -> None:
        self.app, self.service, self.limits = app, service, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if reason := malformed_path(raw_path):
            log.info("http.malformed_path", reason=reason, path=raw_path[:200].decode("ascii", "replace"))
            await json_reply(send, 400, MALFORMED_PATH)
            return
        limit, too_large = self.limits.for_request(scope["method"], scope["path"])
        declared = _declared_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            await json_reply(send, 413 if declared > 0 else 400, too_large if declared > 0 else
                             "Content-Length không hợp lệ", [(b"connection", b"close")])
            return
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _limited(receive, limit), tracked_send)
        except BodyTooLarge:
            if not started:
                await json_reply(send, 413, too_large, [(b"connection", b"close")])
        except ClientDisconnect:
            log.info("http.client_disconnected", path=scope["path"][:200])
        except Exception as exc:  # noqa: BLE001 - the one place an unexpected error becomes a 500
            log.error("http.unhandled_error", service=self.service, method=scope["method"],
                      path=scope["path"][:200], error_type=type(exc).__name__, error=str(exc)[:300],
                      where=_where(exc))
            if not started:
                await json_reply(send, 500, UNEXPECTED)



def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counting_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counting_receive
