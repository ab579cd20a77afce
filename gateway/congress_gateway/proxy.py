"""Routing of ``/api/...`` requests to the service that owns them.

A service is reached through an ``httpx.AsyncClient``: over HTTP in the
distributed run, through ``ASGITransport`` straight into the service's app in
the embedded run. Nothing else differs between the two.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import structlog
from congress_common.web import REQUEST_ID_HEADER, current_request_id
from fastapi import Request, Response
from fastapi.responses import JSONResponse

log = structlog.get_logger(__name__)

ROUTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/api/congresses/[^/]+/seating(/|$)"), "seating"),
    (re.compile(r"^/api/congresses/[^/]+/me/seat$"), "seating"),
    (re.compile(r"^/api/congresses/[^/]+/documents(/|$)"), "documents"),
    (re.compile(r"^/api/congresses/[^/]+/(agenda|announcements)(/|$)"), "documents"),
    (re.compile(r"^/api/congresses(/|$)"), "checkin"),
)
SERVICE_LABELS = {"checkin": "điểm danh", "seating": "sơ đồ chỗ ngồi", "documents": "tài liệu"}
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "content-length"}


def service_for(path: str) -> str | None:
    return next((service for pattern, service in ROUTES if pattern.match(path)), None)


@dataclass
class ServiceClients:
    """One client per service, in-process or remote."""

    clients: dict[str, httpx.AsyncClient]

    @classmethod
    def in_process(cls, apps: dict) -> ServiceClients:
        return cls({name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
                    for name, app in apps.items()})

    @classmethod
    def remote(cls, urls: dict[str, str], timeout: float) -> ServiceClients:
        return cls({name: httpx.AsyncClient(base_url=url, timeout=timeout) for name, url in urls.items()})

    async def aclose(self) -> None:
        for client in self.clients.values():
            await client.aclose()


def _forward_headers(request: Request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers[REQUEST_ID_HEADER] = current_request_id() or ""
    if request.client:
        headers["x-forwarded-for"] = request.client.host
    return headers


async def forward(request: Request, service: str, client: httpx.AsyncClient, body: bytes) -> Response:
    url = httpx.URL(path=request.url.path, query=request.url.query.encode())
    try:
        upstream = await client.request(request.method, url, content=body, headers=_forward_headers(request))
    except httpx.TransportError as exc:
        log.warning("gateway.upstream_unavailable", service=service, error=str(exc))
        return JSONResponse({"detail": f"Dịch vụ {SERVICE_LABELS.get(service, service)} tạm thời không phản hồi, "
                                       "vui lòng thử lại"}, status_code=503)
    headers = {k: v for k, v in upstream.headers.items()
               if k.lower() not in HOP_BY_HOP and k.lower() not in {"content-encoding", REQUEST_ID_HEADER}}
    return Response(upstream.content, status_code=upstream.status_code, headers=headers)
