"""The gateway's OpenAPI document: its own routes plus every service's, as one API, saying what it does.

Each service's document is fetched through the same client the proxy uses
(in-process or over HTTP), without blocking the event loop, once; the merged
document is cached. A service that does not answer yet is a 503, not cached.

The merged document is then made true for clients and fuzzers (``describe_errors``):
every error answer is ``ErrorBody`` (``detail`` a Vietnamese sentence,
``errors`` the fields it names) — FastAPI's own 422 schema says ``detail`` is
an array, which we never send; the answers every route can give (400 for a
malformed path, 413 for a body over the limit, 429, 503) and those of an
authenticated route (401, 403) are declared, 404 where the path names a
resource, 409 on changes; and the bearer scheme is declared, required on
every operation but the logins and health.
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
    describe_errors(schema)
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


PUBLIC_OPERATIONS = {("post", "/api/auth/token"), ("post", "/api/auth/delegate"), ("get", "/healthz")}
ERROR_BODY = {
    "title": "ErrorBody", "type": "object", "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in Vietnamese, naming the field"},
        "errors": {"type": "array", "description": "Validation errors field by field (row by row for an import)",
                   "items": {"type": "object", "additionalProperties": True}},
    },
}
ERRORS = {"400": "Malformed path or request", "401": "No token, or a bad, expired or revoked one",
          "403": "Not allowed for this role or congress", "404": "Not found", "409": "Conflicts with the current state",
          "413": "Body over the size limit", "422": "Invalid input; `errors` names each field",
          "429": "Too many requests; `Retry-After` says for how long", "503": "A service or the database is away"}


def describe_errors(schema: dict[str, Any]) -> None:
    """Declare the error answers and the bearer scheme on every operation (see the module's docstring)."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["ErrorBody"] = ERROR_BODY
    components["schemas"].pop("HTTPValidationError", None)
    components["schemas"].pop("ValidationError", None)
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                                "description": "`POST /api/auth/token` or `/api/auth/delegate`"}}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            public = (method, path) in PUBLIC_OPERATIONS
            codes = {"400", "413", "422", "429", "503"}
            if not public:
                operation["security"] = [{"bearer": []}]
                codes |= {"401", "403"}
            if "{" in path:
                codes.add("404")
            if method in ("post", "put", "patch", "delete"):
                codes.add("409")
            if public and path.startswith("/api/auth/"):
                codes |= {"401", "403"}  # wrong password or PIN; a withdrawn delegate
            for code in sorted(codes):
                described = operation["responses"].get(code, {}).get("description") or ERRORS[code]
                operation["responses"][code] = {"description": described, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
