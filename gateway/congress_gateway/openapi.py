"""The gateway's OpenAPI document: its own routes plus every service's, as one API.

Each service's document is fetched through the same client the proxy uses
(in-process or over HTTP), without blocking the event loop, once; the merged
document is cached. A service that does not answer yet is a 503, not cached.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from fastapi import FastAPI, HTTPException, status
from fastapi.openapi.utils import get_openapi

from .proxy import unavailable_message

if TYPE_CHECKING:
    from .deps import Gateway


def gateway_openapi(app: FastAPI) -> dict[str, Any]:
    return get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)


async def merged_openapi(app: FastAPI, gateway: Gateway) -> dict[str, Any]:
    if gateway.openapi_cache is not None:
        return gateway.openapi_cache
    schema = gateway_openapi(app)
    for name, client in gateway.clients.clients.items():
        _merge(schema, await _service_schema(name, client))
    gateway.openapi_cache = schema
    return schema


async def _service_schema(name: str, client: httpx.AsyncClient) -> dict[str, Any]:
    try:
        reply = await client.get("/openapi.json", timeout=10)
        reply.raise_for_status()
        return reply.json()
    except (httpx.HTTPError, ValueError):
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, unavailable_message(name)) from None


def _merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    target.setdefault("paths", {}).update(
        {path: spec for path, spec in source.get("paths", {}).items() if path.startswith("/api/")})
    components = target.setdefault("components", {}).setdefault("schemas", {})
    components.update(source.get("components", {}).get("schemas", {}))
