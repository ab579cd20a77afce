"""The embedded run: gateway and the three services in one process, SQLite files, one bus."""
from __future__ import annotations

import os
from pathlib import Path

from congress_checkin.bootstrap import create_app as create_checkin
from congress_checkin.settings import CheckinSettings
from congress_common.bus import EventBus
from congress_common.settings import embedded_secret
from congress_documents.bootstrap import create_app as create_documents
from congress_documents.settings import DocumentsSettings
from congress_gateway.app import create_gateway_app
from congress_gateway.proxy import ServiceClients
from congress_gateway.settings import GatewaySettings
from congress_seating.bootstrap import create_app as create_seating
from congress_seating.settings import SeatingSettings
from fastapi import FastAPI


def build_embedded_app(data_dir: Path, *, bus_kind: str = "inprocess", redis_url: str | None = None,
                       admin_password: str | None = None, secret_key: str | None = None,
                       outbox_poll_seconds: float = 1.0, rate_limit_api: str | None = None,
                       bus_namespace: str = "congress") -> FastAPI:
    """One FastAPI app: the gateway, with each service's app behind an in-process transport.

    Database URLs from the environment are ignored on purpose: the embedded
    run always keeps its SQLite files in ``data_dir``, and its secret too
    (``secret.key``, made on the first start) unless ``CONGRESS_SECRET_KEY`` is set.
    """
    common = {"mode": "embedded", "data_dir": data_dir, "database_url": None, "bus": bus_kind,
              "outbox_poll_seconds": outbox_poll_seconds,
              "bus_namespace": bus_namespace}
    common["secret_key"] = secret_key or os.environ.get("CONGRESS_SECRET_KEY") or embedded_secret(data_dir)
    if redis_url:
        common["redis_url"] = redis_url
    gateway_settings = GatewaySettings(**common, admin_password=admin_password,
                                       **({"rate_limit_api": rate_limit_api} if rate_limit_api else {}))
    bus: EventBus = gateway_settings.create_bus("embedded")
    services = {
        "checkin": create_checkin(CheckinSettings(**common), bus, owns_bus=False),
        "seating": create_seating(SeatingSettings(**common), bus, owns_bus=False),
        "documents": create_documents(DocumentsSettings(**common), bus, owns_bus=False),
    }
    app = create_gateway_app(gateway_settings, bus, ServiceClients.in_process(services), owns_bus=True,
                             service_apps=services)
    app.state.services = services  # tests reach a service's state (e.g. to give check-in a fake face engine)
    return app
