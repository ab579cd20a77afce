"""What every FastAPI app here shares: request ids, Vietnamese error bodies, Prometheus metrics."""
from __future__ import annotations

import time
import uuid
from contextvars import ContextVar

import structlog
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy.exc import DBAPIError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .db import DATABASE_UNAVAILABLE, database_unavailable
from .errors import DomainError
from .guard import BodyLimits, RequestGuard
from .validation import vietnamese_errors

log = structlog.get_logger(__name__)
REQUEST_ID_HEADER = "x-request-id"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

REQUESTS = Counter("congress_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
LATENCY = Histogram("congress_http_request_seconds", "HTTP request latency", ["service", "method", "route"])


def current_request_id() -> str | None:
    return request_id_var.get()


class RequestContextMiddleware:
    """Takes or makes an ``X-Request-ID``, binds it to logs, echoes it, and records metrics."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 128 else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status_holder = {"status": 500}
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER.encode(), request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._observe(scope, status_holder["status"], time.perf_counter() - started)
            structlog.contextvars.unbind_contextvars("request_id")
            request_id_var.reset(token)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        REQUESTS.labels(self.service, scope["method"], route, str(status)).inc()
        LATENCY.labels(self.service, scope["method"], route).observe(seconds)


def install_common(app: FastAPI, service: str, *, limits: BodyLimits) -> None:
    """Middleware, error handlers and ``/metrics`` for an app.

    The request guard (malformed paths, body limit, unexpected errors) sits
    inside the request context, so its answers carry the request id too.
    """
    app.add_middleware(RequestGuard, service=service, limits=limits)
    app.add_middleware(RequestContextMiddleware, service=service)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = vietnamese_errors(request, exc)
        detail = errors[0]["message"] if len(errors) == 1 else f"Dữ liệu gửi lên có {len(errors)} lỗi"
        return JSONResponse({"detail": detail, "errors": errors}, status_code=422)

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        body: dict = {"detail": exc.message}
        if exc.errors is not None:
            body["errors"] = exc.errors
        return JSONResponse(body, status_code=exc.status_code)

    async def database_away(_request: Request, exc: Exception) -> JSONResponse:
        if not database_unavailable(exc):
            raise exc  # a bad query is a bug: the request guard's 500
        log.warning("database.unavailable", service=service, error=f"{type(exc).__name__}: {exc}")
        return JSONResponse({"detail": DATABASE_UNAVAILABLE}, status_code=503, headers={"Retry-After": "2"})

    for kind in (DBAPIError, ConnectionError):
        app.add_exception_handler(kind, database_away)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
