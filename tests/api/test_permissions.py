"""Who may do what: every route of the gateway and of the services behind it, for six roles.

``PERMISSIONS`` has one line per endpoint and one column per role; each cell becomes one test
(``role METHOD path``) run by one helper, ``check``. ``ok`` means the request gets past the permission
checks (any answer but 401/403; the request is built so that it changes nothing: an empty body, or an
unknown id for a change); a number is the refusal expected. ``test_every_route_has_a_row`` walks the
gateway app's routes and the merged OpenAPI (the proxied services' routes) and fails on a route without a
line, printing the line to add. The world the rows run in is built once and never changed by them.
"""
from __future__ import annotations

import collections
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi.routing import APIRoute

from congress_cli.embedded import build_embedded_app
from tests.asgi import raw_request
from tests.conftest import (
    ADMIN_PASSWORD,
    create_congress,
    create_random_delegate,
    login,
    make_delegate_login,
    make_kiosk,
    make_organiser,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROLES = ("anonymous", "admin", "organiser", "foreign_organiser", "kiosk", "delegate")
ok = "ok"
STAFF = (401, ok, ok, 403, 403, 403)  # the congress's organisers (and the admin)
STAFF_OR_KIOSK = (401, ok, ok, 403, ok, 403)
MEMBERS = (401, ok, ok, 403, ok, ok)  # everyone who belongs to the congress
ADMIN_ONLY = (401, ok, 403, 403, 403, 403)
DELEGATE_ONLY = (401, ok, 403, 403, 403, ok)
ANYONE = (ok,) * 6
LOGGED_IN = (401, ok, ok, ok, ok, ok)
# the documents service does not even say that another congress's things exist: 404
READERS = (401, ok, ok, 404, ok, ok)  # agenda, announcements: kiosks show them too
DOCUMENT_READERS = (401, ok, ok, 404, 403, ok)

#  method, path: anonymous, admin, organiser, organiser of another congress, kiosk, delegate
PERMISSIONS: dict[tuple[str, str], tuple] = {
    ("GET", "/healthz"): ANYONE,
    ("POST", "/api/auth/token"): ANYONE,
    ("POST", "/api/auth/delegate"): ANYONE,
    ("GET", "/api/auth/congresses"): ANYONE,  # the open congresses' names, for the delegate app's login
    ("GET", "/api/auth/me"): LOGGED_IN,
    ("GET", "/api/users"): ADMIN_ONLY,
    ("POST", "/api/users"): ADMIN_ONLY,
    ("PATCH", "/api/users/{user_id}"): ADMIN_ONLY,
    ("GET", "/api/congresses"): LOGGED_IN,
    ("POST", "/api/congresses"): ADMIN_ONLY,
    ("GET", "/api/congresses/{cid}"): MEMBERS,
    ("PATCH", "/api/congresses/{cid}"): STAFF,
    ("POST", "/api/congresses/{cid}/close"): STAFF,
    ("GET", "/api/congresses/{cid}/attendance"): MEMBERS,
    ("GET", "/api/congresses/{cid}/stream"): MEMBERS,
    ("GET", "/api/congresses/{cid}/checkins"): STAFF,
    ("POST", "/api/congresses/{cid}/checkins"): STAFF_OR_KIOSK,
    ("POST", "/api/congresses/{cid}/checkins/{checkin_id}/revoke"): STAFF,
    ("GET", "/api/congresses/{cid}/sessions"): STAFF,
    ("POST", "/api/congresses/{cid}/sessions"): STAFF,
    ("PATCH", "/api/congresses/{cid}/sessions/{session_id}"): STAFF,
    ("POST", "/api/congresses/{cid}/sessions/{session_id}/start"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates/export.xlsx"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/import"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/import/preview"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates/import/template"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates/{delegate_id}"): STAFF,
    ("PATCH", "/api/congresses/{cid}/delegates/{delegate_id}"): STAFF,
    ("DELETE", "/api/congresses/{cid}/delegates/{delegate_id}"): STAFF,
    ("PUT", "/api/congresses/{cid}/delegates/{delegate_id}/absence"): STAFF,
    ("DELETE", "/api/congresses/{cid}/delegates/{delegate_id}/absence"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates/{delegate_id}/badge.svg"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/{delegate_id}/badge/reissue"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates/{delegate_id}/credentials"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/{delegate_id}/reinstate"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/{delegate_id}/withdraw"): STAFF,
    ("GET", "/api/congresses/{cid}/delegations"): STAFF,
    ("GET", "/api/congresses/{cid}/me"): (401, 403, 403, 403, 403, ok),  # only delegates have a profile
    ("GET", "/api/congresses/{cid}/me/seat"): DELEGATE_ONLY,
    ("GET", "/api/congresses/{cid}/kiosks"): STAFF,
    ("POST", "/api/congresses/{cid}/kiosks"): STAFF,
    ("DELETE", "/api/congresses/{cid}/kiosks/{device_id}"): STAFF,
    ("POST", "/api/congresses/{cid}/kiosks/paired"): (401, 403, 403, 403, ok, 403),  # the kiosk page, once started
    ("GET", "/api/congresses/{cid}/documents/audience"): STAFF,
    ("GET", "/api/congresses/{cid}/seat-cards.pdf"): STAFF,
    ("GET", "/api/congresses/{cid}/seating/delegates"): STAFF,
    ("GET", "/api/congresses/{cid}/seating/delegations"): STAFF,
    ("GET", "/api/congresses/{cid}/seating/plan"): STAFF,
    ("GET", "/api/congresses/{cid}/seating/chart.pdf"): STAFF,
    ("PUT", "/api/congresses/{cid}/seating/hall"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/hall/copy"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/hall/import"): STAFF,
    ("GET", "/api/congresses/{cid}/seating/hall/template"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/placement"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/assign"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/swap"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/clear"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/lock"): STAFF,
    ("POST", "/api/congresses/{cid}/seating/publish"): STAFF,
    ("GET", "/api/congresses/{cid}/attendance/export.xlsx"): STAFF,
    ("GET", "/api/congresses/{cid}/credentials-report"): STAFF,
    ("GET", "/api/congresses/{cid}/credentials-report.pdf"): STAFF,
    ("POST", "/api/congresses/{cid}/print/badges"): STAFF,  # marks badges printed: no other row depends on it
    ("POST", "/api/congresses/{cid}/print/invitations"): STAFF,
    ("POST", "/api/congresses/{cid}/checkins/face"): STAFF_OR_KIOSK,
    ("POST", "/api/congresses/{cid}/checkins/{checkin_id}/not-me"): STAFF_OR_KIOSK,
    ("GET", "/api/congresses/{cid}/faces"): STAFF,
    ("POST", "/api/congresses/{cid}/faces/import"): STAFF,
    ("POST", "/api/congresses/{cid}/faces/purge"): STAFF,  # nobody is enrolled in the world: nothing to purge
    ("GET", "/api/congresses/{cid}/faces/settings"): STAFF_OR_KIOSK,
    ("GET", "/api/congresses/{cid}/faces/delegates"): STAFF,
    ("PUT", "/api/congresses/{cid}/faces/settings"): STAFF,
    ("GET", "/api/congresses/{cid}/delegates/{did}/face"): STAFF,
    ("DELETE", "/api/congresses/{cid}/delegates/{did}/face"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/{did}/face/consent"): STAFF,
    ("DELETE", "/api/congresses/{cid}/delegates/{did}/face/consent"): STAFF,
    ("POST", "/api/congresses/{cid}/delegates/{did}/face/photos"): STAFF,
    ("GET", "/api/congresses/{cid}/agenda"): READERS,
    ("POST", "/api/congresses/{cid}/agenda/items"): STAFF,
    ("POST", "/api/congresses/{cid}/agenda/items/{item_id}/open"): STAFF,
    ("POST", "/api/congresses/{cid}/agenda/sessions"): STAFF,
    ("PATCH", "/api/congresses/{cid}/agenda/items/{item_id}"): STAFF,
    ("PATCH", "/api/congresses/{cid}/agenda/sessions/{session_id}"): STAFF,
    ("GET", "/api/congresses/{cid}/announcements"): READERS,
    ("POST", "/api/congresses/{cid}/announcements"): STAFF,
    ("GET", "/api/congresses/{cid}/documents"): DOCUMENT_READERS,
    ("POST", "/api/congresses/{cid}/documents"): STAFF,
    ("GET", "/api/congresses/{cid}/documents/{document_id}"): DOCUMENT_READERS,
    ("GET", "/api/congresses/{cid}/documents/{document_id}/file"): DOCUMENT_READERS,
    ("GET", "/api/congresses/{cid}/documents/{document_id}/pages/{page}"): DOCUMENT_READERS,
    ("GET", "/api/congresses/{cid}/documents/{document_id}/receipts"): STAFF,
    ("POST", "/api/congresses/{cid}/documents/{document_id}/release"): STAFF,
    ("POST", "/api/congresses/{cid}/documents/{document_id}/versions"): STAFF,
    ("POST", "/api/congresses/{cid}/documents/{document_id}/withdraw"): STAFF,
}
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
# routes that read their body before they check who calls: a valid body that still changes nothing
# (the admin account exists already), or whose change no other row depends on (one more kiosk)
BODIES = {
    ("POST", "/api/users"): {"username": "admin", "password": "mat-khau-dai-du-12", "full_name": "Quản Trị",
                             "congress_ids": []},
    ("POST", "/api/congresses/{cid}/kiosks"): {"name": "Cổng phụ"},
}
# the gateway's routes outside /api (the web entry points, files, docs) are not API endpoints; nor is the
# proxy's catch-all (what it reaches is in the merged OpenAPI)
NOT_ENDPOINTS = {"/api/{path:path}"}


@contextlib.asynccontextmanager
async def build_system(data_dir: Path) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    app = build_embedded_app(data_dir, admin_password=ADMIN_PASSWORD, rate_limit_api="100000/second")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://congress.test") as client:
            yield app, client


async def make_world(client: httpx.AsyncClient) -> dict:
    """A congress with one delegate, a token for every role, and ids to put in paths."""
    admin = await login(client)
    cid = await create_congress(client, admin)
    delegate = await create_random_delegate(client, admin, cid)
    other = await create_congress(client, admin)
    return {
        "cid": cid, "delegate_id": delegate["id"],
        "admin": admin, "anonymous": {},
        "organiser": await make_organiser(client, admin, cid),
        "foreign_organiser": await make_organiser(client, admin, other),
        "kiosk": await make_kiosk(client, admin, cid),
        "delegate": await make_delegate_login(client, admin, cid, delegate["id"]),
    }


def url_for(world: dict, method: str, path: str) -> str:
    """The path with real ids for a read, unknown ones for a change (so that nothing changes)."""
    unknown = str(uuid.uuid4())
    ids = {"cid": world["cid"], "delegate_id": world["delegate_id"] if method not in CHANGES else unknown}
    return path.format_map(collections.defaultdict(lambda: unknown, ids))  # any other id: one nobody has


async def observe(app, world: dict, role: str, method: str, path: str) -> tuple[int, bytes]:
    """Status and body as the app answers, called straight through ASGI; a stream (SSE) is cut once open."""
    body = json.dumps(BODIES.get((method, path), {})).encode() if method in CHANGES else b""
    headers = [("content-type", "application/json"), *world[role].items()]
    reply = await raw_request(app, method, url_for(world, method, path).encode(), headers=headers, body=body,
                              enough=lambda sofar: b"stream.ready" in sofar)
    return reply.status, reply.body


def walk_routes(app, openapi: dict) -> list[tuple[str, str]]:
    """Every method and path: the gateway app's own routes and the merged OpenAPI's (the services')."""
    found = {(method, path) for path, operations in openapi["paths"].items() for method in
             (m.upper() for m in operations) if method in {"GET", "POST", "PUT", "PATCH", "DELETE"}}
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path.startswith(("/api/", "/healthz")) \
                and route.path not in NOT_ENDPOINTS:
            found |= {(method, route.path) for method in route.methods - {"HEAD", "OPTIONS"}}
    return sorted(found, key=lambda mp: (mp[1], mp[0]))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    """One embedded system for the whole module; no row changes it."""
    async with build_system(tmp_path_factory.mktemp("permissions")) as app_and_client:
        yield app_and_client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(system):
    return await make_world(system[1])


async def check(system, world: dict, role: str, method: str, path: str, expected: int | str) -> None:
    status, body = await observe(system[0], world, role, method, path)
    where = f"{role} {method} {path}"
    if expected == ok:
        assert status not in (401, 403), f"{where}: refused with {status} {body[:300]!r}"
        assert status < 500, f"{where}: {status} {body[:300]!r}"
    else:
        assert status == expected, f"{where}: expected {expected}, got {status} {body[:300]!r}"
        assert json.loads(body)["detail"], "a refusal carries a message"


CASES = [(role, method, path, expected) for (method, path), row in PERMISSIONS.items()
         for role, expected in zip(ROLES, row, strict=True)]


@pytest.mark.parametrize(("role", "method", "path", "expected"), CASES,
                         ids=[f"{r}-{m}-{p}" for r, m, p, _ in CASES])
async def test_permission(system, world, role, method, path, expected):
    await check(system, world, role, method, path, expected)


async def test_every_route_has_a_row(system):
    app, client = system
    routes = walk_routes(app, (await client.get("/openapi.json")).json())
    missing = [mp for mp in routes if mp not in PERMISSIONS]
    stale = [mp for mp in PERMISSIONS if mp not in routes]
    lines = "\n".join(f'    ("{m}", "{p}"): STAFF,  # anonymous, admin, organiser, organiser of another congress, '
                      f"kiosk, delegate: pick or write the tuple" for m, p in missing)
    assert not missing, (f"routes without a permission row: add to PERMISSIONS in tests/api/test_permissions.py "
                         f"(one tuple per endpoint, one value per role: ok or the refusal status):\n{lines}")
    assert not stale, f"rows for routes that no longer exist: remove {stale} from PERMISSIONS"


# -- permissions that need a state of their own (their own congress, kiosk, delegate) ----------------------


async def test_kiosk_checks_in_by_qr_only(system):
    client = system[1]
    admin = await login(client)
    cid = await create_congress(client, admin)
    delegate = await create_random_delegate(client, admin, cid)
    qr = (await client.get(f"/api/congresses/{cid}/delegates/{delegate['id']}/credentials", headers=admin)).json()["qr"]
    kiosk, as_delegate = await make_kiosk(client, admin, cid), await make_delegate_login(client, admin, cid, delegate["id"])
    url = f"/api/congresses/{cid}/checkins"
    assert (await client.post(url, json={"delegate_id": delegate["id"]}, headers=kiosk)).status_code == 403
    assert (await client.post(url, json={"qr": qr}, headers=as_delegate)).status_code == 403
    assert (await client.post(url, json={"qr": qr}, headers=kiosk)).status_code == 201


async def test_revoked_kiosk_is_refused(system):
    client = system[1]
    admin = await login(client)
    cid = await create_congress(client, admin)
    kiosk = await make_kiosk(client, admin, cid)
    assert (await client.get(f"/api/congresses/{cid}/attendance", headers=kiosk)).status_code == 200
    for device in (await client.get(f"/api/congresses/{cid}/kiosks", headers=admin)).json():
        assert (await client.delete(f"/api/congresses/{cid}/kiosks/{device['id']}", headers=admin)).status_code == 200
    reply = await client.get(f"/api/congresses/{cid}/attendance", headers=kiosk)
    assert reply.status_code == 401 and reply.json()["detail"]


async def test_bad_tokens_and_wrong_secrets(system, world):
    client = system[1]
    forged = {"authorization": "Bearer not.a.token"}
    assert (await client.get(f"/api/congresses/{world['cid']}/attendance", headers=forged)).status_code == 401
    assert (await client.post("/api/auth/token", data={"username": "admin", "password": "sai"})).status_code == 401
    reply = await client.post("/api/auth/delegate", json={"congress_id": world["cid"], "code": "DB001", "pin": "000000"})
    assert reply.status_code == 401 and "PIN" in reply.json()["detail"]
