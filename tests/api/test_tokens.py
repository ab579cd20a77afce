"""Tokens: nobody mints one from the repository, revoked access stops at the next request, services trust the gateway only.

Findings 3 (a token signed with the public demo secret read ``/api/users`` as
admin), 4 (tokens outlived deactivation, removal from a congress, a re-issued
badge, a removed delegate) and 5's second half (the check-in service's
internal login answered anyone).
"""
from __future__ import annotations

import stat
from datetime import timedelta

import jwt
import pytest
import pytest_asyncio
from congress_common.auth import (
    Principal,
    Role,
    issue_assertion,
    issue_service_credential,
    issue_token,
    signing_key,
)
from congress_common.settings import SECRET_FILE

from tests.conftest import (
    create_congress,
    create_random_delegate,
    embedded_client,
    login,
    make_delegate_login,
    make_kiosk,
    secret_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    """One embedded system for the module: every test makes its own congress, people and tokens."""
    async for client in embedded_client(tmp_path_factory.mktemp("tokens")):
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def admin(system):
    return await login(system)


@pytest_asyncio.fixture(loop_scope="module")
async def congress(system, admin):
    return await create_congress(system, admin)


OLD_DEMO_SECRET = "embedded-demo-secret-change-me-not-for-production"  # what the source used to sign with


def service_client(system, name: str = "checkin"):
    """A client straight into a service, past the gateway: what a caller on the services' network could do."""
    return system.app.state.gateway.clients.clients[name]


async def organiser(system, admin, *congress_ids: str) -> tuple[str, dict[str, str]]:
    reply = await system.post("/api/users", headers=admin, json={
        "username": f"btc-{len(congress_ids)}-{congress_ids[0][:6]}", "password": "mat-khau-btc-123",
        "full_name": "Trịnh Thị Hạnh", "congress_ids": list(congress_ids)})
    assert reply.status_code == 201, reply.text
    return reply.json()["id"], await login(system, reply.json()["username"], "mat-khau-btc-123")


# --- the secret ---------------------------------------------------------------------------------------------

async def test_embedded_run_makes_its_own_secret(tmp_path):
    async for system in embedded_client(tmp_path):
        first = secret_of(system)
        token = await login(system)
    path = tmp_path / SECRET_FILE
    assert path.read_text().strip() == first and len(first) >= 43
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    async for system in embedded_client(tmp_path):  # a restart keeps the secret: tokens stay valid
        assert secret_of(system) == first
        assert (await system.get("/api/auth/me", headers=token)).status_code == 200
    async for other in embedded_client(tmp_path / "elsewhere"):
        assert secret_of(other) != first


@pytest.mark.parametrize("signing", ["raw-demo-secret", "derived-demo-key"])
async def test_tokens_signed_with_the_old_demo_secret_are_refused(system, signing):
    claims = {"sub": "admin", "role": "admin", "name": "x", "congress_ids": [], "aud": "congress", "ver": 1,
              "iat": 1_700_000_000, "exp": 4_000_000_000}
    key = OLD_DEMO_SECRET if signing == "raw-demo-secret" else signing_key(OLD_DEMO_SECRET, "user-token")
    forged = jwt.encode(claims, key, algorithm="HS256")
    reply = await system.get("/api/users", headers={"authorization": f"Bearer {forged}"})
    assert reply.status_code == 401


# --- revocation ---------------------------------------------------------------------------------------------

async def test_deactivated_organiser_is_out_at_the_next_request(system, admin, congress):
    user_id, headers = await organiser(system, admin, congress)
    assert (await system.get(f"/api/congresses/{congress}/delegates", headers=headers)).status_code == 200
    assert (await system.patch(f"/api/users/{user_id}", headers=admin, json={"active": False})).status_code == 200
    assert (await system.get(f"/api/congresses/{congress}/delegates", headers=headers)).status_code == 401
    assert (await system.get("/api/auth/me", headers=headers)).status_code == 401
    assert (await system.patch(f"/api/users/{user_id}", headers=admin, json={"active": True})).status_code == 200
    assert (await system.get("/api/auth/me", headers=headers)).status_code == 401, "re-enabling revives no old token"
    assert (await login(system, f"btc-1-{congress[:6]}", "mat-khau-btc-123"))


async def test_organiser_removed_from_a_congress_loses_the_token(system, admin, congress):
    second = await create_congress(system, admin)
    user_id, headers = await organiser(system, admin, congress, second)
    assert (await system.get(f"/api/congresses/{second}/delegates", headers=headers)).status_code == 200
    await system.patch(f"/api/users/{user_id}", headers=admin, json={"congress_ids": [congress]})
    assert (await system.get(f"/api/congresses/{second}/delegates", headers=headers)).status_code == 401
    assert (await system.get(f"/api/congresses/{congress}/delegates", headers=headers)).status_code == 401


async def test_congress_given_works_at_once(system, admin, congress):
    second = await create_congress(system, admin)
    user_id, headers = await organiser(system, admin, congress)
    assert (await system.get(f"/api/congresses/{second}/delegates", headers=headers)).status_code == 403
    await system.patch(f"/api/users/{user_id}", headers=admin, json={"congress_ids": [congress, second]})
    assert (await system.get(f"/api/congresses/{second}/delegates", headers=headers)).status_code == 200
    listed = (await system.get("/api/congresses", headers=headers)).json()
    assert {c["id"] for c in listed} == {congress, second}


async def test_password_reset_ends_old_sessions(system, admin, congress):
    user_id, headers = await organiser(system, admin, congress)
    await system.patch(f"/api/users/{user_id}", headers=admin, json={"password": "mat-khau-moi-456"})
    assert (await system.get("/api/auth/me", headers=headers)).status_code == 401
    assert await login(system, f"btc-1-{congress[:6]}", "mat-khau-moi-456")


async def test_reissued_badge_ends_the_delegates_session(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    headers = await make_delegate_login(system, admin, congress, delegate["id"])
    assert (await system.get(f"/api/congresses/{congress}/me", headers=headers)).status_code == 200
    reissued = await system.post(f"/api/congresses/{congress}/delegates/{delegate['id']}/badge/reissue", headers=admin)
    assert reissued.status_code == 200 and "x-congress-revoked" not in reissued.headers
    assert (await system.get(f"/api/congresses/{congress}/me", headers=headers)).status_code == 401
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=headers)).status_code == 401
    fresh = await make_delegate_login(system, admin, congress, delegate["id"])
    assert (await system.get(f"/api/congresses/{congress}/me", headers=fresh)).status_code == 200


async def test_removed_delegate_is_out(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    headers = await make_delegate_login(system, admin, congress, delegate["id"])
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=headers)).status_code == 200
    assert (await system.delete(f"/api/congresses/{congress}/delegates/{delegate['id']}", headers=admin)).status_code == 204
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=headers)).status_code == 401
    assert (await system.get(f"/api/congresses/{congress}/stream", headers=headers)).status_code == 401


async def test_revoked_kiosk_is_out(system, admin, congress):
    headers = await make_kiosk(system, admin, congress)
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=headers)).status_code == 200
    device = (await system.get(f"/api/congresses/{congress}/kiosks", headers=admin)).json()[0]
    await system.delete(f"/api/congresses/{congress}/kiosks/{device['id']}", headers=admin)
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=headers)).status_code == 401


# --- hostile tokens -----------------------------------------------------------------------------------------

def _claims(**extra) -> dict:
    return {"sub": "admin", "role": "admin", "name": "x", "congress_ids": [], "aud": "congress", "ver": 1,
            "iat": 1_700_000_000, "exp": 4_000_000_000, **extra}


def _unsigned(claims: dict) -> str:
    return jwt.encode(claims, key=None, algorithm="none")


HOSTILE = {
    "wrong key": lambda secret: jwt.encode(_claims(), signing_key("k" * 40, "user-token"), algorithm="HS256"),
    "alg none": lambda secret: _unsigned(_claims()),
    "alg none, no signature part": lambda secret: _unsigned(_claims()).rstrip("."),
    "expired": lambda secret: issue_token(secret, Principal(sub="admin", role=Role.admin, ver=1), timedelta(seconds=-5)),
    "service key": lambda secret: jwt.encode(_claims(), signing_key(secret, "service-token"), algorithm="HS256"),
    "no audience": lambda secret: jwt.encode({k: v for k, v in _claims().items() if k != "aud"},
                                             signing_key(secret, "user-token"), algorithm="HS256"),
    "a service's audience": lambda secret: jwt.encode(_claims(aud="service:checkin"), signing_key(secret, "user-token"),
                                                      algorithm="HS256"),
    "assertion": lambda secret: issue_assertion(secret, Principal(sub="admin", role=Role.admin), "checkin"),
    "service credential": lambda secret: issue_service_credential(secret, "checkin", ["delegate-login"]),
    "HS512 with the secret": lambda secret: jwt.encode(_claims(), signing_key(secret, "user-token") * 2,
                                                         algorithm="HS512"),
    "stale version": lambda secret: issue_token(secret, Principal(sub="admin", role=Role.admin, ver=99),
                                                timedelta(hours=1)),
    "unknown user": lambda secret: issue_token(secret, Principal(sub="khong-co", role=Role.admin, ver=1),
                                               timedelta(hours=1)),
    "role changed in claims": lambda secret: issue_token(secret, Principal(sub="admin", role=Role.organiser, ver=1),
                                                         timedelta(hours=1)),
    "garbage": lambda secret: "not.a.token",
    "bad role": lambda secret: jwt.encode(_claims(role="superuser"), signing_key(secret, "user-token"),
                                          algorithm="HS256"),
}


async def test_hostile_tokens_are_401(system):
    wrong = []
    for kind, make in HOSTILE.items():
        token = make(secret_of(system))
        for path in ("/api/users", "/api/congresses", "/api/auth/me"):
            reply = await system.get(path, headers={"authorization": f"Bearer {token}"})
            if reply.status_code != 401 or not reply.json()["detail"]:
                wrong.append((kind, path, reply.status_code))
        sse = await system.get("/api/congresses/x/stream", params={"access_token": token})
        if sse.status_code != 401:
            wrong.append((kind, "stream", sse.status_code))
    assert wrong == []


# --- the services trust the gateway, and only for what it needs -----------------------------------------------

async def test_services_refuse_user_tokens_sent_past_the_gateway(system, admin, congress):
    """A direct call to a service (the distributed run's ports) cannot skip the gateway's revocation check."""
    for name, path in (("checkin", f"/api/congresses/{congress}/delegates"),
                       ("seating", f"/api/congresses/{congress}/seating/delegates"),
                       ("documents", f"/api/congresses/{congress}/documents/audience")):
        direct = await service_client(system, name).get(path, headers=admin)
        assert direct.status_code == 401, name
        assert (await system.get(path, headers=admin)).status_code == 200, name


async def test_assertions_are_for_one_service(system, congress):
    secret = secret_of(system)
    for_seating = issue_assertion(secret, Principal(sub="admin", role=Role.admin), "seating")
    headers = {"authorization": f"Bearer {for_seating}"}
    checkin = await service_client(system, "checkin").get(f"/api/congresses/{congress}/delegates", headers=headers)
    seating = await service_client(system, "seating").get(f"/api/congresses/{congress}/seating/delegates",
                                                          headers=headers)
    assert (checkin.status_code, seating.status_code) == (401, 200)


LOGIN = {"congress_id": "x", "code": "DB001", "pin": "123456"}


EXPECTED = {"none": 401, "admin user token": 401, "admin assertion": 401, "other scope": 403, "other service": 401,
            "expired": 401, "right one": 401}  # the right one gets as far as the PIN check: a 401 about the PIN


async def test_internal_login_needs_the_gateways_credential(system, admin):
    """Was: any admin token, and ``..%2F..%2Finternal/delegate-login`` through the proxy, reached it."""
    secret = secret_of(system)
    tokens = {
        "none": None,
        "admin user token": admin["authorization"].removeprefix("Bearer "),
        "admin assertion": issue_assertion(secret, Principal(sub="admin", role=Role.admin), "checkin"),
        "other scope": issue_service_credential(secret, "checkin", ["delegate-status"]),
        "other service": issue_service_credential(secret, "seating", ["delegate-login"]),
        "expired": issue_service_credential(secret, "checkin", ["delegate-login"], timedelta(seconds=-5)),
        "right one": issue_service_credential(secret, "checkin", ["delegate-login"]),
    }
    seen = {}
    for credential, token in tokens.items():
        headers = {"authorization": f"Bearer {token}"} if token else {}
        reply = await service_client(system).post("/internal/delegate-login", json=LOGIN, headers=headers)
        seen[credential] = (reply.status_code, "PIN" in reply.json()["detail"])
    assert seen == {credential: (status, credential == "right one") for credential, status in EXPECTED.items()}


async def test_internal_routes_are_not_proxied(system, admin):
    for path in ("/internal/delegate-login", "/api/internal/delegate-login", "/api/congresses/../internal/x"):
        reply = await system.post(path, json=LOGIN, headers=admin)
        assert reply.status_code in (400, 404, 405), (path, reply.status_code)
