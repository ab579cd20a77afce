"""Staff accounts: an admin cannot break them (finding 7), and can reset, disable and widen them (issue 5)."""
from __future__ import annotations

import base64
import io
import time

import pytest
import pytest_asyncio
import zxingcpp
from PIL import Image

from tests.conftest import ADMIN_PASSWORD, create_congress, create_random_delegate, embedded_client, login

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    async for client in embedded_client(tmp_path_factory.mktemp("accounts")):
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def admin(system):
    return await login(system)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def congress(system, admin):
    return await create_congress(system, admin)


async def new_user(system, admin, congress, name: str, role: str = "organiser") -> dict:
    reply = await system.post("/api/users", headers=admin, json={
        "username": name, "password": "mat-khau-btc-123", "full_name": "Lê Thị Thu Hà", "role": role,
        "congress_ids": [congress] if role == "organiser" else []})
    assert reply.status_code == 201, reply.text
    return reply.json()


NULLS = [("congress_ids", "Đại hội được quản lý"), ("password", "Mật khẩu"), ("active", "Đang hoạt động"),
         ("full_name", "Họ và tên")]


@pytest.mark.parametrize(("field", "label"), NULLS)
async def test_explicit_null_is_422_naming_the_field(system, admin, congress, field, label):
    """Was: ``{"congress_ids": null}`` saved, then ``GET /api/users`` answered 500 for everyone."""
    user = await new_user(system, admin, congress, f"null-{field.replace('_', '-')}")
    reply = await system.patch(f"/api/users/{user['id']}", headers=admin, json={field: None})
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["field"] == field and label in reply.json()["detail"]
    assert (await system.get("/api/users", headers=admin)).status_code == 200
    assert await login(system, user["username"], "mat-khau-btc-123")


@pytest.mark.parametrize(("field", "label"), [("kind", "Loại đại biểu"), ("roles", "Vai trò"),
                                              ("full_name", "Họ và tên"), ("delegation", "Đoàn")])
async def test_delegate_null_is_422_fast(system, admin, congress, field, label):
    """Was: ``{"kind": null}`` or ``{"roles": null}`` on a delegate answered 500 after 15 s."""
    delegate = await create_random_delegate(system, admin, congress)
    started = time.perf_counter()
    reply = await system.patch(f"/api/congresses/{congress}/delegates/{delegate['id']}", headers=admin,
                               json={field: None})
    assert reply.status_code == 422 and label in reply.json()["detail"], reply.text
    assert time.perf_counter() - started < 2
    cleared = await system.patch(f"/api/congresses/{congress}/delegates/{delegate['id']}", headers=admin,
                                 json={"position": None, "birth_year": None})
    assert cleared.status_code == 200 and cleared.json()["position"] is None


async def test_last_active_admin_cannot_be_disabled(system, admin, congress):
    users = (await system.get("/api/users", headers=admin)).json()
    main_admin = next(u for u in users if u["username"] == "admin")
    refused = await system.patch(f"/api/users/{main_admin['id']}", headers=admin, json={"active": False})
    assert refused.status_code == 409 and "quản trị cuối cùng" in refused.json()["detail"]
    second = await new_user(system, admin, congress, "quan-tri-2", role="admin")
    assert (await system.patch(f"/api/users/{main_admin['id']}", headers=admin, json={"active": False})).status_code == 200
    other = await login(system, "quan-tri-2", "mat-khau-btc-123")
    refused = await system.patch(f"/api/users/{second['id']}", headers=other, json={"active": False})
    assert refused.status_code == 409
    assert (await system.patch(f"/api/users/{main_admin['id']}", headers=other, json={"active": True})).status_code == 200
    assert (await system.get("/api/users", headers=admin)).status_code == 401, "disabling ended the old session"
    admin.update(await login(system))  # the module's admin logs in again


async def test_restart_restores_a_usable_admin(tmp_path):
    """Was: a restart with CONGRESS_ADMIN_PASSWORD reset the password but left the account disabled."""
    async for system in embedded_client(tmp_path):
        admin = await login(system)
        congress = await create_congress(system, admin)
        await new_user(system, admin, congress, "quan-tri-du-phong", role="admin")
        users = (await system.get("/api/users", headers=admin)).json()
        main_admin = next(u for u in users if u["username"] == "admin")
        await system.patch(f"/api/users/{main_admin['id']}", headers=admin, json={"active": False,
                                                                                  "password": "khac-han-roi-1"})
        assert (await system.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
                ).status_code == 401
    async for system in embedded_client(tmp_path):
        assert await login(system)


async def test_reset_disable_enable_and_second_congress(system, admin, congress):
    """Issue 5's accounts: reset an organiser's password, disable the account, give a second congress."""
    user = await new_user(system, admin, congress, "btc-hai-dai-hoi")
    second = await create_congress(system, admin)
    reply = await system.patch(f"/api/users/{user['id']}", headers=admin,
                               json={"congress_ids": [congress, second, second]})
    assert reply.status_code == 200 and reply.json()["congress_ids"] == [congress, second]
    headers = await login(system, "btc-hai-dai-hoi", "mat-khau-btc-123")
    assert (await system.get(f"/api/congresses/{second}/delegates", headers=headers)).status_code == 200
    await system.patch(f"/api/users/{user['id']}", headers=admin, json={"password": "mat-khau-moi-789"})
    assert (await system.post("/api/auth/token", json={"username": "btc-hai-dai-hoi",
                                                       "password": "mat-khau-btc-123"})).status_code == 401
    assert await login(system, "btc-hai-dai-hoi", "mat-khau-moi-789")
    disabled = await system.patch(f"/api/users/{user['id']}", headers=admin, json={"active": False})
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert (await system.post("/api/auth/token", json={"username": "btc-hai-dai-hoi",
                                                       "password": "mat-khau-moi-789"})).status_code == 401
    await system.patch(f"/api/users/{user['id']}", headers=admin, json={"active": True})
    assert await login(system, "btc-hai-dai-hoi", "mat-khau-moi-789")
    short = await system.patch(f"/api/users/{user['id']}", headers=admin, json={"password": "ngan"})
    assert short.status_code == 422 and "Mật khẩu" in short.json()["detail"]


async def test_kiosk_pairing_link_and_qr_come_once_with_the_token(system, admin, congress):
    """Issue 6: the tablet opens ``<console>/kiosk/#token=…`` from a QR; the token never rides in a query string."""
    reply = await system.post(f"/api/congresses/{congress}/kiosks", headers=admin,
                              json={"name": "Cổng B", "console_url": "http://192.168.1.10:8000/"})
    assert reply.status_code == 201, reply.text
    kiosk = reply.json()
    assert kiosk["pairing_link"] == f"http://192.168.1.10:8000/kiosk/#token={kiosk['token']}"
    header, png = kiosk["pairing_qr"].split(",", 1)
    assert header == "data:image/png;base64"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(png))))
    assert [code.text for code in decoded] == [kiosk["pairing_link"]]
    listed = (await system.get(f"/api/congresses/{congress}/kiosks", headers=admin)).json()
    assert all(d.get("token") is None and "pairing_qr" not in d for d in listed)  # shown once only


@pytest.mark.parametrize("console_url", ["javascript:alert(1)", "http://x/kiosk", "http://x?token=", "ftp://host"])
async def test_kiosk_console_url_must_be_an_origin(system, admin, congress, console_url):
    reply = await system.post(f"/api/congresses/{congress}/kiosks", headers=admin,
                              json={"name": "Cổng C", "console_url": console_url})
    assert reply.status_code == 422, reply.text
    assert "Địa chỉ trang quản trị" in reply.json()["detail"]


async def test_a_kiosk_reads_in_use_only_once_its_page_started_with_the_code(system, admin, congress):
    """Was: "Đang dùng" from the moment the code was made, before any tablet had it."""
    token = (await system.post(f"/api/congresses/{congress}/kiosks", headers=admin, json={"name": "Cổng D"})).json()
    url = f"/api/congresses/{congress}/kiosks"
    device = next(d for d in (await system.get(url, headers=admin)).json() if d["id"] == token["id"])
    assert device["paired_at"] is None and device["revoked_at"] is None  # made, not set up on a tablet yet
    kiosk = {"authorization": f"Bearer {token['token']}"}
    first = await system.post(f"{url}/paired", headers=kiosk)
    assert first.status_code == 200 and first.json()["paired_at"], first.text
    again = await system.post(f"{url}/paired", headers=kiosk)  # every start of the page says so; the first time stays
    assert again.json()["paired_at"] == first.json()["paired_at"]
    device = next(d for d in (await system.get(url, headers=admin)).json() if d["id"] == token["id"])
    assert device["paired_at"] == first.json()["paired_at"]
    assert (await system.post(f"{url}/paired", headers=admin)).status_code == 403  # only a kiosk says it
