"""Routing of ``/api/...`` requests to the service that owns them, bodies streamed both ways.

A service is reached through an ``httpx.AsyncClient``: over HTTP in the
distributed run, through ``StreamingASGITransport`` straight into the
service's app in the embedded run. Nothing else differs between the two.

The path reaching here has passed the request guard (no control characters,
encoded slashes or dot segments), and the upstream URL is made from the path
exactly as it was sent, so what the service routes is what the gateway routed.
Neither body is read whole: the request streams into the service as the client
sends it (the guard counts it against the body limit), the response streams
back as the service writes it, with its headers (``Content-Length``,
``Content-Range``, ``Accept-Ranges``, ``Content-Disposition``, ``ETag``...).
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import httpx
import structlog
from congress_common.auth import REVOKED_HEADER
from congress_common.guard import BodyTooLarge
from congress_common.web import REQUEST_ID_HEADER, current_request_id
from fastapi import Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from .asgi_stream import StreamingASGITransport

log = structlog.get_logger(__name__)

ROUTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/api/congresses/[^/]+/seating(/|$)"), "seating"),
    (re.compile(r"^/api/congresses/[^/]+/me/seat$"), "seating"),
    (re.compile(r"^/api/congresses/[^/]+/documents(/|$)"), "documents"),
    (re.compile(r"^/api/congresses/[^/]+/(agenda|announcements)(/|$)"), "documents"),
    (re.compile(r"^/api/congresses(/|$)"), "checkin"),
)
SERVICE_LABELS = {"checkin": "điểm danh", "seating": "sơ đồ chỗ ngồi", "documents": "tài liệu"}
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "transfer-encoding", "upgrade", "host", "expect"})
# never taken from the client: the gateway sets them (identity, request id, client address)
GATEWAY_SET = frozenset({"authorization", "x-forwarded-for", REQUEST_ID_HEADER})
INTERNAL_RESPONSE_HEADERS = frozenset({REQUEST_ID_HEADER, REVOKED_HEADER})  # the gateway's own, or for it alone
STRIPPED_QUERY = frozenset({"access_token"})  # the browser's SSE token; services read only the gateway's header


def service_for(path: str) -> str | None:
    return next((service for pattern, service in ROUTES if pattern.match(path)), None)


@dataclass
class ServiceClients:
    """One client per service, in-process or remote."""

    clients: dict[str, httpx.AsyncClient]

    @classmethod
    def in_process(cls, apps: dict) -> ServiceClients:
        return cls({name: httpx.AsyncClient(transport=StreamingASGITransport(app), base_url=f"http://{name}")
                    for name, app in apps.items()})

    @classmethod
    def remote(cls, urls: dict[str, str], timeout: float) -> ServiceClients:
        return cls({name: httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(timeout)) for name, url in urls.items()})

    async def aclose(self) -> None:
        for client in self.clients.values():
            await client.aclose()


def upstream_url(request: Request) -> httpx.URL:
    """The path as the client sent it (percent-encoding kept), the query without the browser's token."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    if query and any(f"{name}=".encode() in query for name in STRIPPED_QUERY):
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        query = urlencode([(k, v) for k, v in pairs if k not in STRIPPED_QUERY]).encode("latin-1")
    return httpx.URL(raw_path.decode("ascii") + ("?" + query.decode("latin-1") if query else ""))


def request_headers(request: Request, extra: Mapping[str, str]) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP and k not in GATEWAY_SET}
    headers[REQUEST_ID_HEADER] = current_request_id() or ""
    if request.client:
        headers["x-forwarded-for"] = request.client.host
    headers.update(extra)
    return headers


def response_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    """The service's headers as sent (repeated ones kept), less hop-by-hop ones and its request id."""
    return [(k, v) for k, v in upstream.headers.raw
            if k.lower().decode("latin-1") not in HOP_BY_HOP | INTERNAL_RESPONSE_HEADERS]


def unavailable_message(service: str) -> str:
    return f"Dịch vụ {SERVICE_LABELS.get(service, service)} tạm thời không phản hồi, vui lòng thử lại"


def unavailable(service: str) -> JSONResponse:
    return JSONResponse({"detail": unavailable_message(service)}, status_code=503)


async def forward(request: Request, service: str, client: httpx.AsyncClient, *, assertion: str | None,
                  on_revoked: Callable[[str], None]) -> Response:
    """``request`` to ``service`` as the principal the gateway vouches for (``assertion``), streamed both ways."""
    extra_headers = {"authorization": f"Bearer {assertion}"} if assertion else {}
    try:
        url = upstream_url(request)
        outgoing = client.build_request(request.method, url, headers=request_headers(request, extra_headers),
                                        content=request.stream() if _has_body(request) else None)
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return JSONResponse({"detail": "Đường dẫn không hợp lệ"}, status_code=400)
    try:
        upstream = await client.send(outgoing, stream=True)
    except BodyTooLarge:
        raise
    except httpx.TimeoutException as exc:
        log.warning("gateway.upstream_timeout", service=service, error=type(exc).__name__)
        return unavailable(service)
    except httpx.HTTPError as exc:
        log.warning("gateway.upstream_unavailable", service=service, error=f"{type(exc).__name__}: {exc}"[:300])
        return unavailable(service)
    for keys in upstream.headers.get_list(REVOKED_HEADER):
        for key in keys.split(","):
            on_revoked(key.strip())
    response = StreamingResponse(_relay(upstream, service), status_code=upstream.status_code)
    response.raw_headers = response_headers(upstream)
    return response


def _has_body(request: Request) -> bool:
    return request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers


async def _relay(upstream: httpx.Response, service: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    except httpx.HTTPError as exc:
        log.warning("gateway.upstream_broke_off", service=service, error=type(exc).__name__)
    finally:
        await upstream.aclose()
