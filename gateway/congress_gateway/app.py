"""Builds the gateway app for the embedded run (services in-process) or the distributed one (over HTTP)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import fastapi_offline
from congress_common.bus import EventBus
from congress_common.contracts import ALL_TOPICS
from congress_common.db import create_engine, create_sessionmaker, upgrade_database
from congress_common.web import install_common
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from . import identity
from .api import accounts, auth, live
from .deps import Gateway
from .openapi import gateway_openapi, merged_openapi
from .proxy import ServiceClients
from .ratelimit import DelegateLoginLimits, RateLimits
from .settings import GatewaySettings
from .stream import EventFanout
from .web_assets import WEB

HERE = Path(__file__).parent
EMBEDDED_ADMIN_PASSWORD = "admin"  # noqa: S105 - only for the embedded demo, printed at start


def admin_password(settings: GatewaySettings) -> str:
    if settings.admin_password is not None:
        return settings.admin_password.get_secret_value()
    if settings.mode == "embedded":
        return EMBEDDED_ADMIN_PASSWORD
    raise ValueError("CONGRESS_ADMIN_PASSWORD must be set outside the embedded run")


def delegate_limits(settings: GatewaySettings) -> DelegateLoginLimits:
    return DelegateLoginLimits(per_account=settings.rate_limit_delegate_account,
                               per_device=settings.rate_limit_delegate_device, per_ip=settings.rate_limit_delegate_ip)


def create_gateway_app(settings: GatewaySettings, bus: EventBus, clients: ServiceClients, *, owns_bus: bool = True,
                       service_apps: dict[str, FastAPI] | None = None) -> FastAPI:
    password = admin_password(settings)
    engine = create_engine(settings.effective_database_url, schema=settings.database_schema)
    limits_redis = settings.redis_url if settings.mode == "distributed" else None
    gateway = Gateway(settings=settings, bus=bus, clients=clients, engine=engine,
                      sessionmaker=create_sessionmaker(engine), fanout=EventFanout(bus, ALL_TOPICS),
                      limits=RateLimits.create(limits_redis, api=settings.rate_limit_api, login=settings.rate_limit_login,
                                               delegate=delegate_limits(settings)))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if owns_bus:
                await bus.start()
                stack.push_async_callback(bus.stop)
            for service_app in (service_apps or {}).values():
                await stack.enter_async_context(service_app.router.lifespan_context(service_app))
            await upgrade_database(engine, HERE / "migrations", schema=settings.database_schema)
            async with gateway.sessionmaker() as session:
                await identity.ensure_admin(session, password)
            await gateway.fanout.start()
            stack.push_async_callback(gateway.fanout.stop)
            stack.push_async_callback(clients.aclose)
            stack.push_async_callback(engine.dispose)
            gateway.ready = True
            yield
            gateway.ready = False

    app = FastAPI(title="Đại hội Công đoàn — API", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None, description="One entry point for the check-in, seating and documents services.")
    app.state.gateway = gateway
    app.state.secret = settings.secret()
    install_common(app, "gateway", limits=settings.body_limits())
    for router in (auth.router, accounts.router, live.router, live.proxy_router):
        app.include_router(router)
    app.openapi = lambda: gateway.openapi_cache or gateway_openapi(app)  # type: ignore[method-assign]

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_document() -> JSONResponse:
        return JSONResponse(await merged_openapi(app, gateway))

    _mount_web(app)
    _mount_docs(app)
    return app


def _mount_docs(app: FastAPI) -> None:
    """``/docs`` works offline: Swagger UI's files come from the fastapi-offline package, not a CDN."""
    app.mount("/static-docs", StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static"), name="docs")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} — Swagger UI",
                                   swagger_js_url="/static-docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static-docs/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")


def _mount_web(app: FastAPI) -> None:
    web = WEB
    app.mount("/static", StaticFiles(directory=web), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(web / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/app", include_in_schema=False)
    async def delegate_app() -> RedirectResponse:
        """The delegate app (its own entry point, no organiser code); ``/app/?c=<congress id>`` from the invitation."""
        return RedirectResponse("/app/", status_code=308)

    app.mount("/app", StaticFiles(directory=web / "app", html=True), name="delegate-app")

    @app.get("/kiosk", include_in_schema=False)
    async def kiosk() -> RedirectResponse:
        """The check-in kiosk (its own entry point, no organiser code): camera, face and badge check-in."""
        return RedirectResponse("/kiosk/", status_code=308)

    app.mount("/kiosk", StaticFiles(directory=web / "kiosk", html=True), name="kiosk")
