"""Delegate login at the venue: a whole hall behind one NAT address gets in, PIN guessing does not."""
from __future__ import annotations

import asyncio
import uuid

import httpx
from congress_checkin.domain.badges import invitation_pin

from tests.conftest import create_congress, import_roster, roster, secret_of

HALL = 1100


async def _delegates(system, admin, cid, n):
    assert (await import_roster(system, admin, cid, roster(n, seed=8))).status_code == 200
    items = []
    while len(items) < n:
        page = await system.get(f"/api/congresses/{cid}/delegates", params={"limit": 1000, "offset": len(items)},
                                headers=admin)
        items += page.json()["items"]
    return items


def _login(cid, code, pin, device=None):
    return {"congress_id": cid, "code": code, "pin": pin, **({"device_id": device} if device else {})}


async def test_a_hall_behind_one_nat_address_logs_in(system, admin, congress):
    """1,100 phones, one IP, two devices' worth of typos among them: every delegate gets a token."""
    delegates = await _delegates(system, admin, congress, HALL)
    semaphore = asyncio.Semaphore(50)

    async def phone(delegate, typo: bool):
        device = uuid.uuid4().hex
        pin = invitation_pin(secret_of(system), congress, delegate["id"], 1)
        async with semaphore:
            if typo:
                wrong = await system.post("/api/auth/delegate", json=_login(congress, delegate["code"], "000000", device))
                assert wrong.status_code == 401, wrong.text
            return await system.post("/api/auth/delegate", json=_login(congress, delegate["code"], pin, device))

    replies = await asyncio.gather(*(phone(d, typo=i % 20 == 0) for i, d in enumerate(delegates)))
    refused = [r.text for r in replies if r.status_code != 200]
    assert refused == [], refused[:3]
    assert len({r.json()["delegate_id"] for r in replies}) == HALL


async def test_guessing_one_pin_is_stopped_whatever_the_device_or_address(system, admin, congress):
    victim, other = await _delegates(system, admin, congress, 2)
    right_pin = invitation_pin(secret_of(system), congress, victim["id"], 1)
    wrong = [f"{n:06d}" for n in range(100, 120) if f"{n:06d}" != right_pin]
    statuses = []
    for n, pin in enumerate(wrong[:12]):
        # a fresh device id and a different source address for every guess
        transport = httpx.ASGITransport(app=system.app, client=(f"10.0.{n}.7", 40000 + n))
        async with httpx.AsyncClient(transport=transport, base_url="http://congress.test") as attacker:
            reply = await attacker.post("/api/auth/delegate", json=_login(congress, victim["code"], pin, uuid.uuid4().hex))
            statuses.append(reply.status_code)
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429], statuses
    locked = await system.post("/api/auth/delegate", json=_login(congress, victim["code"], right_pin, uuid.uuid4().hex))
    assert locked.status_code == 429 and "Ban Tổ chức" in locked.json()["detail"]  # no oracle for the right PIN
    assert int(locked.headers["retry-after"]) > 0
    # the other delegate of the congress is not affected
    other_pin = invitation_pin(secret_of(system), congress, other["id"], 1)
    assert (await system.post("/api/auth/delegate", json=_login(congress, other["code"], other_pin))).status_code == 200


async def test_one_device_trying_many_accounts_is_stopped(system, admin, congress):
    delegates = await _delegates(system, admin, congress, 14)
    device = uuid.uuid4().hex
    statuses = [(await system.post("/api/auth/delegate", json=_login(congress, d["code"], "999999", device))).status_code
                for d in delegates[:12]]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429], statuses
    last = delegates[13]
    pin = invitation_pin(secret_of(system), congress, last["id"], 1)
    refused = await system.post("/api/auth/delegate", json=_login(congress, last["code"], pin, device))
    assert refused.status_code == 429 and "Thiết bị" in refused.json()["detail"]
    elsewhere = await system.post("/api/auth/delegate", json=_login(congress, last["code"], pin, uuid.uuid4().hex))
    assert elsewhere.status_code == 200


async def test_badge_qr_logs_in_and_a_forged_one_does_not(system, admin, congress):
    delegate = (await _delegates(system, admin, congress, 1))[0]
    creds = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/credentials", headers=admin)).json()
    reply = await system.post("/api/auth/delegate", json={"congress_id": congress, "qr": creds["qr"]})
    assert reply.status_code == 200 and reply.json()["delegate_id"] == delegate["id"]
    forged = await system.post("/api/auth/delegate", json={"congress_id": congress, "qr": creds["qr"][:-3] + "abc"})
    assert forged.status_code == 401 and "QR" in forged.json()["detail"]
    empty = await system.post("/api/auth/delegate", json={"congress_id": congress, "code": delegate["code"]})
    assert empty.status_code == 422 and "PIN" in empty.json()["detail"]


async def test_a_code_locked_by_someone_elses_guesses_opens_again_when_the_badge_is_reissued(system, admin, congress):
    victim = (await _delegates(system, admin, congress, 1))[0]
    for n in range(11):  # someone in the hall guesses the victim's PIN from ever new devices
        await system.post("/api/auth/delegate", json=_login(congress, victim["code"], f"{n:06d}", uuid.uuid4().hex))
    old_pin = invitation_pin(secret_of(system), congress, victim["id"], 1)
    assert (await system.post("/api/auth/delegate", json=_login(congress, victim["code"], old_pin))).status_code == 429
    reissued = await system.post(f"/api/congresses/{congress}/delegates/{victim['id']}/badge/reissue", headers=admin)
    assert reissued.status_code == 200, reissued.text
    new_pin = invitation_pin(secret_of(system), congress, victim["id"], 2)
    back = await system.post("/api/auth/delegate", json=_login(congress, victim["code"], new_pin, uuid.uuid4().hex))
    assert back.status_code == 200 and back.json()["delegate_id"] == victim["id"]


async def test_logging_in_again_and_again_is_not_a_failure_and_badge_logins_share_no_limit(system, admin, congress):
    delegates = await _delegates(system, admin, congress, 14)
    first = delegates[0]
    pin = invitation_pin(secret_of(system), congress, first["id"], 1)
    again = [(await system.post("/api/auth/delegate", json=_login(congress, first["code"], pin, uuid.uuid4().hex)))
             .status_code for _ in range(12)]  # a phone, a tablet, a reinstalled app...
    assert again == [200] * 12
    statuses = []
    for delegate in delegates:  # fourteen delegates scan their badges one after another
        creds = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/credentials",
                                  headers=admin)).json()
        reply = await system.post("/api/auth/delegate", json={"congress_id": congress, "qr": creds["qr"],
                                                              "device_id": uuid.uuid4().hex})
        statuses.append(reply.status_code)
    assert statuses == [200] * 14


async def test_the_app_without_its_link_lists_the_open_congresses_by_name(system, admin, congress):
    """A delegate knows the congress's name, never its id: anyone may list the open ones, name and date only."""
    closed = await create_congress(system, admin, "Đại hội Công đoàn huyện Lang Chánh lần thứ VIII")
    assert (await system.post(f"/api/congresses/{closed}/close", headers=admin)).status_code == 200
    reply = await system.get("/api/auth/congresses")  # no token
    assert reply.status_code == 200, reply.text
    listed = {c["id"]: c for c in reply.json()}
    assert congress in listed and closed not in listed
    assert set(listed[congress]) == {"id", "name", "starts_on"} and listed[congress]["starts_on"] == "2023-08-10"
    assert listed[congress]["name"].startswith("Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX")
