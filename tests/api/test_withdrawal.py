"""A delegate who has checked in is never deleted: withdrawn with a reason, the records stay consistent."""
from __future__ import annotations

from tests.conftest import create_random_delegate, import_roster, make_delegate_login, roster


async def _attendance(system, admin, cid) -> dict:
    return (await system.get(f"/api/congresses/{cid}/attendance", headers=admin)).json()


async def test_deleting_a_checked_in_delegate_is_refused_and_withdrawal_keeps_the_records(system, admin, congress):
    """Regression: deleting a checked-in delegate lowered "summoned" and left a live undo for nobody."""
    base = f"/api/congresses/{congress}"
    delegate = await create_random_delegate(system, admin, congress)
    other = await create_random_delegate(system, admin, congress)
    checkin = (await system.post(f"{base}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)).json()
    before = await _attendance(system, admin, congress)
    assert (before["summoned"], before["present"]) == (2, 1)

    refused = await system.delete(f"{base}/delegates/{delegate['id']}", headers=admin)
    assert refused.status_code == 409
    assert "rút tên" in refused.json()["detail"] and refused.json()["errors"][0]["withdraw_instead"] is True
    assert await _attendance(system, admin, congress) == before

    no_reason = await system.post(f"{base}/delegates/{delegate['id']}/withdraw", json={"reason": ""}, headers=admin)
    assert no_reason.status_code == 422 and "Lý do" in no_reason.json()["detail"]
    withdrawn = await system.post(f"{base}/delegates/{delegate['id']}/withdraw", json={"reason": "Ốm, xin về"},
                                  headers=admin)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["withdrawn"] and withdrawn.json()["withdraw_reason"] == "Ốm, xin về"
    assert not withdrawn.json()["checked_in"]
    after = await _attendance(system, admin, congress)
    assert (after["summoned"], after["present"], after["absent"]) == (2, 0, 2)  # still summoned, now absent

    feed = (await system.get(f"{base}/checkins", headers=admin)).json()
    closed = next(c for c in feed if c["id"] == checkin["id"])
    assert closed["revoked_at"] and closed["revoke_reason"] == "Rút khỏi đại hội: Ốm, xin về"  # no live undo left
    again = await system.post(f"{base}/delegates/{delegate['id']}/withdraw", json={"reason": "Lần hai"}, headers=admin)
    assert again.json()["withdraw_reason"] == "Ốm, xin về"  # withdrawing twice changes nothing

    refused_checkin = await system.post(f"{base}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)
    assert refused_checkin.status_code == 409 and "đã rút" in refused_checkin.json()["detail"]
    listed = (await system.get(f"{base}/delegates/{delegate['id']}", headers=admin)).json()
    assert listed["withdrawn"] is True

    reinstated = await system.post(f"{base}/delegates/{delegate['id']}/reinstate", headers=admin)
    assert reinstated.status_code == 200 and not reinstated.json()["withdrawn"]
    assert (await system.post(f"{base}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)).status_code == 201

    assert (await system.delete(f"{base}/delegates/{other['id']}", headers=admin)).status_code == 204  # never came
    assert (await _attendance(system, admin, congress))["summoned"] == 1


async def test_a_withdrawn_delegate_cannot_log_in_to_the_app(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    await make_delegate_login(system, admin, congress, delegate["id"])
    creds = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/credentials", headers=admin)).json()
    await system.post(f"/api/congresses/{congress}/delegates/{delegate['id']}/withdraw", json={"reason": "Đi công tác"},
                      headers=admin)
    reply = await system.post("/api/auth/delegate", json={"congress_id": congress, "code": creds["code"],
                                                          "pin": creds["pin"]})
    assert reply.status_code == 403 and "rút khỏi đại hội" in reply.json()["detail"]


async def test_an_import_never_brings_back_a_withdrawn_delegate_silently(system, admin, congress):
    rows = roster(3)
    assert (await import_roster(system, admin, congress, rows)).status_code == 200
    page = (await system.get(f"/api/congresses/{congress}/delegates", headers=admin)).json()["items"]
    first = next(d for d in page if d["code"] == rows[0]["code"])
    await system.post(f"/api/congresses/{congress}/delegates/{first['id']}/withdraw", json={"reason": "Ốm nặng"}, headers=admin)
    reply = await import_roster(system, admin, congress, rows)
    assert reply.status_code == 422
    assert "đã rút khỏi đại hội" in reply.json()["errors"][0]["message"]
    assert (await system.get(f"/api/congresses/{congress}/delegates/{first['id']}", headers=admin)).json()["withdrawn"]
