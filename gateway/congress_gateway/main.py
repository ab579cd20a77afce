"""ASGI entry point of the gateway run on its own (distributed): ``uvicorn congress_gateway.main:app``."""
from __future__ import annotations

from congress_common.logging import configure_logging

from .app import create_gateway_app
from .proxy import ServiceClients
from .settings import GatewaySettings

settings = GatewaySettings()
configure_logging(json=settings.log_json, level=settings.log_level)
_urls = {"checkin": settings.checkin_url, "seating": settings.seating_url, "documents": settings.documents_url}
if missing := [name for name, url in _urls.items() if not url]:
    raise SystemExit(f"set CONGRESS_{missing[0].upper()}_URL: the gateway needs every service's address")
app = create_gateway_app(
    settings,
    settings.create_bus(),
    ServiceClients.remote(_urls, settings.upstream_timeout_seconds),  # type: ignore[arg-type]
)
