"""The live stream (SSE), health of the whole system, and the proxy to the services."""
from __future__ import annotations

import asyncio

from congress_common.auth import Role, issue_assertion
from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from sse_starlette.sse import EventSourceResponse

from ..deps import Caller, GatewayDep, RateLimitedPrincipal, ensure
from ..proxy import forward, service_for
from ..stream import sse_events

router = APIRouter(tags=["live"])
proxy_router = APIRouter(include_in_schema=False)


@router.get("/api/congresses/{cid}/stream", response_class=EventSourceResponse,
            description="Server-Sent Events of the congress; `event:` carries the event type. "
                        "Browsers pass the token as `?access_token=`.")
async def stream(cid: str, gateway: GatewayDep, caller: Caller) -> EventSourceResponse:
    ensure(caller, Role.organiser, Role.kiosk, Role.delegate, congress_id=cid)
    return EventSourceResponse(sse_events(gateway.fanout, cid, caller), ping=15)


async def _service_health(gateway: GatewayDep, name: str) -> dict:
    try:
        reply = await gateway.clients.clients[name].get("/healthz", timeout=3)
        return {"ready": reply.status_code == 200, **reply.json()}
    except Exception as exc:  # noqa: BLE001 - reported as not ready
        return {"ready": False, "error": str(exc)}


@router.get("/healthz", tags=["health"])
async def healthz(gateway: GatewayDep) -> JSONResponse:
    names = list(gateway.clients.clients)
    reports = await asyncio.gather(*(_service_health(gateway, n) for n in names))
    services = dict(zip(names, reports, strict=True))
    bus_ok = await gateway.bus.healthy()
    ready = gateway.ready and bus_ok and all(r["ready"] for r in reports)
    body = {"ready": ready, "bus": gateway.bus.name, "bus_ok": bus_ok, "services": services,
            "stream_clients": gateway.fanout.client_count}
    return JSONResponse(body, status_code=200 if ready else 503)


@proxy_router.api_route("/api/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def proxy(path: str, request: Request, gateway: GatewayDep, who: RateLimitedPrincipal) -> Response:
    service = service_for(request.url.path)
    if service is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không tìm thấy địa chỉ này")
    assertion = issue_assertion(gateway.settings.secret(), who, service) if who else None
    return await forward(request, service, gateway.clients.clients[service], assertion=assertion,
                         on_revoked=gateway.principals.forget)
