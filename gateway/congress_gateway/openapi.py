"""The gateway's OpenAPI document: its own routes plus every service's, as one API."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

if TYPE_CHECKING:
    from .deps import Gateway


def merged_openapi(app: FastAPI, gateway: Gateway) -> dict[str, Any]:
    if gateway.openapi_cache is not None:
        return gateway.openapi_cache
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    for client in gateway.clients.clients.values():
        _merge(schema, _service_schema(client))
    gateway.openapi_cache = schema
    return schema


def _service_schema(client: httpx.AsyncClient) -> dict[str, Any]:
    transport = client._transport
    app = getattr(transport, "app", None)
    if app is not None:
        return app.openapi()
    return httpx.get(f"{client.base_url}openapi.json", timeout=5).json()


def _merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    target.setdefault("paths", {}).update(
        {path: spec for path, spec in source.get("paths", {}).items() if path.startswith("/api/")})
    components = target.setdefault("components", {}).setdefault("schemas", {})
    components.update(source.get("components", {}).get("schemas", {}))
