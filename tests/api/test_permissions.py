"""Who may do what: one line per role and endpoint (OpenSlides-style permission tests)."""
from __future__ import annotations

import pytest
import pytest_asyncio

from tests.conftest import (
    create_congress,
    create_random_delegate,
    embedded_client,
    login,
    make_delegate_login,
    make_kiosk,
    make_organiser,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    """One embedded system for the whole module: the permission table only reads."""
    async for client in embedded_client(tmp_path_factory.mktemp("permissions")):
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(system):
    """A congress with one delegate, and a token for every role (plus an organiser of another congress)."""
    admin = await login(system)
    congress = await create_congress(system, admin)
    delegate = await create_random_delegate(system, admin, congress)
    other = await create_congress(system, admin)
    creds = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/credentials", headers=admin)).json()
    return {
        "cid": congress, "did": delegate["id"], "qr": creds["qr"],
        "admin": admin, "anonymous": {},
        "organiser": await make_organiser(system, admin, congress),
        "foreign_organiser": await make_organiser(system, admin, other),
        "kiosk": await make_kiosk(system, admin, congress),
        "delegate": await make_delegate_login(system, admin, congress, delegate["id"]),
    }


async def check(system, world, role: str, method: str, path: str, expected: int, body: dict | None = None) -> None:
    body = body if body is not None else BODIES.get((method, path))
    url = path.format(**world)
    reply = await system.request(method, url, headers=world[role], json=body)
    assert reply.status_code == expected, f"{role} {method} {url}: {reply.status_code} {reply.text}"
    if expected >= 400:
        assert reply.json()["detail"], "errors carry a message"


BODIES = {("POST", "/api/congresses"): {"name": "Đại hội Công đoàn huyện Như Xuân"},
          ("POST", "/api/congresses/{cid}/delegates/{did}/withdraw"): {"reason": "Ốm nặng"},
          ("PATCH", "/api/congresses/{cid}"): {"venue": "Cung Văn hóa tỉnh"},
          ("POST", "/api/congresses/{cid}/sessions"): {"name": "Phiên thứ hai"},
          ("PUT", "/api/congresses/{cid}/delegates/{did}/absence"): {"reason": "Ốm"},
          ("POST", "/api/congresses/{cid}/print/invitations"): {},
          ("POST", "/api/congresses/{cid}/print/badges"): {},
          ("POST", "/api/congresses/{cid}/kiosks"): {"name": "Cổng B"},
          ("POST", "/api/congresses/{cid}/announcements"): {"text": "Đại biểu về hội trường lúc 13h30"}}
CASES = [
    # FaceID: organisers enrol and purge; kiosks only read the settings and check in (not-me needs a face check-in)
    ("organiser", "GET", "/api/congresses/{cid}/faces", 200),
    ("kiosk", "GET", "/api/congresses/{cid}/faces", 403),
    ("delegate", "GET", "/api/congresses/{cid}/faces", 403),
    ("foreign_organiser", "GET", "/api/congresses/{cid}/faces", 403),
    ("kiosk", "GET", "/api/congresses/{cid}/faces/settings", 200),
    ("delegate", "GET", "/api/congresses/{cid}/faces/settings", 403),
    ("kiosk", "PUT", "/api/congresses/{cid}/faces/settings", 403),
    ("organiser", "GET", "/api/congresses/{cid}/delegates/{did}/face", 200),
    ("kiosk", "GET", "/api/congresses/{cid}/delegates/{did}/face", 403),
    ("kiosk", "POST", "/api/congresses/{cid}/delegates/{did}/face/consent", 403),
    ("delegate", "POST", "/api/congresses/{cid}/delegates/{did}/face/consent", 403),
    ("kiosk", "DELETE", "/api/congresses/{cid}/delegates/{did}/face", 403),
    ("kiosk", "POST", "/api/congresses/{cid}/faces/purge", 403),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/faces/purge", 403),
    ("delegate", "POST", "/api/congresses/{cid}/checkins/face", 403),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/checkins/face", 403),
    ("anonymous", "POST", "/api/congresses/{cid}/checkins/face", 401),
    ("kiosk", "POST", "/api/congresses/{cid}/checkins/face", 422),  # allowed: no frame sent
    ("delegate", "POST", "/api/congresses/{cid}/checkins/nothing/not-me", 403),
    ("kiosk", "POST", "/api/congresses/{cid}/checkins/nothing/not-me", 404),
    ("anonymous", "GET", "/api/congresses/{cid}/delegates", 401),
    ("admin", "GET", "/api/congresses/{cid}/delegates", 200),
    ("organiser", "GET", "/api/congresses/{cid}/delegates", 200),
    ("foreign_organiser", "GET", "/api/congresses/{cid}/delegates", 403),
    ("kiosk", "GET", "/api/congresses/{cid}/delegates", 403),
    ("delegate", "GET", "/api/congresses/{cid}/delegates", 403),
    ("organiser", "POST", "/api/congresses", 403),
    ("delegate", "POST", "/api/congresses", 403),
    ("organiser", "GET", "/api/congresses/{cid}/attendance", 200),
    ("kiosk", "GET", "/api/congresses/{cid}/attendance", 200),
    ("delegate", "GET", "/api/congresses/{cid}/attendance", 200),
    ("foreign_organiser", "GET", "/api/congresses/{cid}/attendance", 403),
    ("anonymous", "GET", "/api/congresses/{cid}/attendance", 401),
    ("delegate", "GET", "/api/congresses/{cid}/me", 200),
    ("organiser", "GET", "/api/congresses/{cid}/me", 403),
    ("delegate", "GET", "/api/congresses/{cid}/delegates/{did}/credentials", 403),
    ("kiosk", "GET", "/api/congresses/{cid}/delegates/{did}/credentials", 403),
    ("organiser", "GET", "/api/congresses/{cid}/delegates/{did}/credentials", 200),
    ("organiser", "GET", "/api/congresses/{cid}/seating/delegates", 200),
    ("delegate", "GET", "/api/congresses/{cid}/seating/delegates", 403),
    ("organiser", "GET", "/api/congresses/{cid}/documents/audience", 200),
    ("foreign_organiser", "GET", "/api/congresses/{cid}/documents/audience", 403),
    ("organiser", "GET", "/api/users", 403),
    ("admin", "GET", "/api/users", 200),
    ("organiser", "GET", "/api/congresses/{cid}/kiosks", 200),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/kiosks", 403),
    ("delegate", "GET", "/api/congresses/{cid}/checkins", 403),
    ("organiser", "GET", "/api/congresses/{cid}/seating/plan", 404),  # no hall yet: allowed, nothing there
    ("foreign_organiser", "GET", "/api/congresses/{cid}/seating/plan", 403),
    ("kiosk", "GET", "/api/congresses/{cid}/seating/plan", 403),
    ("delegate", "GET", "/api/congresses/{cid}/seating/plan", 403),
    ("delegate", "PUT", "/api/congresses/{cid}/seating/hall", 403),
    ("foreign_organiser", "PUT", "/api/congresses/{cid}/seating/hall", 403),
    ("kiosk", "POST", "/api/congresses/{cid}/seating/placement", 403),
    ("delegate", "POST", "/api/congresses/{cid}/seating/assign", 403),
    ("delegate", "POST", "/api/congresses/{cid}/seating/swap", 403),
    ("delegate", "POST", "/api/congresses/{cid}/seating/clear", 403),
    ("delegate", "POST", "/api/congresses/{cid}/seating/lock", 403),
    ("delegate", "POST", "/api/congresses/{cid}/seating/publish", 403),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/seating/hall/copy", 403),
    ("delegate", "GET", "/api/congresses/{cid}/me/seat", 200),
    ("organiser", "GET", "/api/congresses/{cid}/me/seat", 403),
    ("kiosk", "GET", "/api/congresses/{cid}/me/seat", 403),
    ("anonymous", "GET", "/api/congresses/{cid}/me/seat", 401),
    ("delegate", "GET", "/api/congresses/{cid}/documents", 200),
    ("organiser", "GET", "/api/congresses/{cid}/documents", 200),
    ("kiosk", "GET", "/api/congresses/{cid}/documents", 403),
    ("foreign_organiser", "GET", "/api/congresses/{cid}/documents", 404),  # another congress learns nothing
    ("anonymous", "GET", "/api/congresses/{cid}/documents", 401),
    ("delegate", "POST", "/api/congresses/{cid}/documents", 403),
    ("kiosk", "POST", "/api/congresses/{cid}/documents", 403),
    ("delegate", "GET", "/api/congresses/{cid}/documents/missing/file", 404),
    ("delegate", "POST", "/api/congresses/{cid}/documents/missing/versions", 403),
    ("delegate", "POST", "/api/congresses/{cid}/documents/missing/withdraw", 403),
    ("delegate", "POST", "/api/congresses/{cid}/documents/missing/release", 403),
    ("delegate", "GET", "/api/congresses/{cid}/documents/missing/receipts", 403),
    ("organiser", "GET", "/api/congresses/{cid}/documents/missing/receipts", 404),
    ("delegate", "GET", "/api/congresses/{cid}/agenda", 200),
    ("kiosk", "GET", "/api/congresses/{cid}/agenda", 200),
    ("foreign_organiser", "GET", "/api/congresses/{cid}/agenda", 404),
    ("delegate", "POST", "/api/congresses/{cid}/agenda/sessions", 403),
    ("delegate", "POST", "/api/congresses/{cid}/agenda/items", 403),
    ("delegate", "POST", "/api/congresses/{cid}/agenda/items/missing/open", 403),
    ("organiser", "POST", "/api/congresses/{cid}/agenda/items/missing/open", 404),
    ("delegate", "GET", "/api/congresses/{cid}/announcements", 200),
    ("anonymous", "GET", "/api/congresses/{cid}/announcements", 401),
    ("delegate", "POST", "/api/congresses/{cid}/announcements", 403),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/announcements", 403),
    ("organiser", "POST", "/api/congresses/{cid}/announcements", 201),
    ("kiosk", "POST", "/api/congresses/{cid}/delegates/{did}/withdraw", 403),
    ("delegate", "POST", "/api/congresses/{cid}/delegates/{did}/withdraw", 403),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/delegates/{did}/withdraw", 403),
    ("delegate", "POST", "/api/congresses/{cid}/delegates/{did}/reinstate", 403),
    ("kiosk", "POST", "/api/congresses/{cid}/delegates/{did}/reinstate", 403),
    ("organiser", "POST", "/api/congresses/{cid}/delegates/{did}/reinstate", 200),
    ("organiser", "GET", "/api/congresses/{cid}/seating/hall/template", 200),
    ("delegate", "GET", "/api/congresses/{cid}/seating/hall/template", 403),
    ("delegate", "POST", "/api/congresses/{cid}/seating/hall/import", 403),
    ("foreign_organiser", "POST", "/api/congresses/{cid}/seating/hall/import", 403),
    ("organiser", "GET", "/api/congresses/{cid}/seating/chart.pdf", 404),  # no hall yet: allowed, nothing there
    ("kiosk", "GET", "/api/congresses/{cid}/seating/chart.pdf", 403),
    ("delegate", "GET", "/api/congresses/{cid}/seating/chart.pdf", 403),
    ("organiser", "GET", "/api/congresses/{cid}/seat-cards.pdf", 404),  # nobody seated yet
    ("foreign_organiser", "GET", "/api/congresses/{cid}/seat-cards.pdf", 403),
    ("kiosk", "GET", "/api/congresses/{cid}/seat-cards.pdf", 403),
    ("delegate", "GET", "/api/congresses/{cid}/seat-cards.pdf", 403),
]


@pytest.mark.parametrize(("role", "method", "path", "expected"), CASES)
async def test_permission(system, world, role, method, path, expected):
    await check(system, world, role, method, path, expected)


async def test_kiosk_checks_in_by_qr_only(system, world):
    await check(system, world, "kiosk", "POST", "/api/congresses/{cid}/checkins", 403, {"delegate_id": world["did"]})
    await check(system, world, "kiosk", "POST", "/api/congresses/{cid}/checkins", 201, {"qr": world["qr"]})
    await check(system, world, "delegate", "POST", "/api/congresses/{cid}/checkins", 403, {"qr": world["qr"]})


async def test_revoked_kiosk_is_refused(system, world):
    await check(system, world, "kiosk", "GET", "/api/congresses/{cid}/attendance", 200)
    kiosks = (await system.get(f"/api/congresses/{world['cid']}/kiosks", headers=world["admin"])).json()
    for kiosk in kiosks:
        await check(system, world, "admin", "DELETE", f"/api/congresses/{{cid}}/kiosks/{kiosk['id']}", 200)
    await check(system, world, "kiosk", "GET", "/api/congresses/{cid}/attendance", 401)


async def test_bad_and_expired_tokens(system, world):
    world["forged"] = {"authorization": "Bearer not.a.token"}
    await check(system, world, "forged", "GET", "/api/congresses/{cid}/attendance", 401)


async def test_wrong_password_and_pin(system, world):
    assert (await system.post("/api/auth/token", data={"username": "admin", "password": "sai"})).status_code == 401
    reply = await system.post("/api/auth/delegate", json={"congress_id": world["cid"], "code": "DB001", "pin": "000000"})
    assert reply.status_code == 401 and "PIN" in reply.json()["detail"]
