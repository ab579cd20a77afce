"""Congress settings: edit, the quorum rule as data, sessions each with its own attendance, closing freezes check-in."""
from __future__ import annotations

import asyncio
import contextlib

from congress_common.contracts import TOPIC_CHECKIN

from tests.conftest import create_random_delegate


async def _attendance(system, admin, cid, **params) -> dict:
    reply = await system.get(f"/api/congresses/{cid}/attendance", params=params, headers=admin)
    assert reply.status_code == 200, reply.text
    return reply.json()


async def _check_in(system, admin, cid, delegate_id) -> dict:
    reply = await system.post(f"/api/congresses/{cid}/checkins", json={"delegate_id": delegate_id}, headers=admin)
    assert reply.status_code in (200, 201), reply.text
    return reply.json()


async def test_settings_and_the_quorum_rule_as_data(system, admin, congress):
    base = f"/api/congresses/{congress}"
    people = [await create_random_delegate(system, admin, congress) for _ in range(4)]
    await _check_in(system, admin, congress, people[0]["id"])
    await _check_in(system, admin, congress, people[1]["id"])
    default = await _attendance(system, admin, congress)
    assert (default["quorum_rule"], default["quorum_required"], default["quorum_met"]) == ("2/3", 3, False)

    edited = await system.patch(base, json={"venue": "Nhà văn hóa Lao động tỉnh Đắk Lắk", "quorum_numerator": 3,
                                            "quorum_denominator": 4, "age_bands": [35, 45, 55]}, headers=admin)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["venue"], edited.json()["age_bands"]) == ("Nhà văn hóa Lao động tỉnh Đắk Lắk", [35, 45, 55])
    stricter = await _attendance(system, admin, congress)
    assert (stricter["quorum_rule"], stricter["quorum_required"], stricter["quorum_met"]) == ("3/4", 3, False)
    await _check_in(system, admin, congress, people[2]["id"])
    assert (await _attendance(system, admin, congress))["quorum_met"] is True

    half = await system.patch(base, json={"quorum_numerator": 1, "quorum_denominator": 2}, headers=admin)
    assert half.status_code == 422 and "2/3" in half.json()["detail"] and "Điều lệ" in half.json()["detail"]

    more_than_all = await system.patch(base, json={"quorum_numerator": 4, "quorum_denominator": 3}, headers=admin)
    assert more_than_all.status_code == 422 and "Tỷ lệ tối thiểu" in more_than_all.json()["detail"]
    only_numerator = await system.patch(base, json={"quorum_numerator": 5}, headers=admin)  # 5/4 with the stored 4
    assert only_numerator.status_code == 422 and "phân số" in only_numerator.json()["detail"]
    bands = await system.patch(base, json={"age_bands": [50, 30]}, headers=admin)
    assert bands.status_code == 422 and bands.json()["detail"].startswith("Độ tuổi")
    assert (await system.get(base, headers=admin)).json()["quorum_denominator"] == 4  # nothing half-saved


async def test_each_session_has_its_own_attendance(system, admin, congress):
    base = f"/api/congresses/{congress}"
    a, b = [await create_random_delegate(system, admin, congress) for _ in range(2)]
    congress_row = (await system.get(base, headers=admin)).json()
    first = congress_row["current_session"]
    assert first["name"] == "Phiên thứ nhất"
    morning = await _check_in(system, admin, congress, a["id"])
    await _check_in(system, admin, congress, b["id"])

    added = await system.post(f"{base}/sessions", json={"name": "Phiên chính thức, ngày thứ hai"}, headers=admin)
    assert added.status_code == 201 and added.json()["current"] is False
    second = added.json()
    assert (await _attendance(system, admin, congress))["present"] == 2  # not started yet
    started = await system.post(f"{base}/sessions/{second['id']}/start", headers=admin)
    assert started.status_code == 200 and started.json()["current"] is True

    now = await _attendance(system, admin, congress)
    assert (now["present"], now["summoned"], now["session_name"]) == (0, 2, "Phiên chính thức, ngày thứ hai")
    again = await system.post(f"{base}/checkins", json={"delegate_id": a["id"]}, headers=admin)
    assert again.status_code == 201 and again.json()["id"] != morning["id"]  # a new check-in for the new session
    assert (await _attendance(system, admin, congress))["present"] == 1
    assert (await _attendance(system, admin, congress, session_id=first["id"]))["present"] == 2  # day one kept
    sessions = (await system.get(f"{base}/sessions", headers=admin)).json()
    assert [(s["name"], s["present"], s["current"]) for s in sessions] == [
        ("Phiên thứ nhất", 2, False), ("Phiên chính thức, ngày thứ hai", 1, True)]
    listed = (await system.get(f"{base}/delegates/{b['id']}", headers=admin)).json()
    assert listed["checked_in"] is False  # the list shows the current session

    past = await system.post(f"{base}/checkins/{morning['id']}/revoke", json={"reason": "Bấm nhầm người"}, headers=admin)
    assert past.status_code == 409 and "phiên đã qua" in past.json()["detail"]
    delete = await system.delete(f"{base}/delegates/{b['id']}", headers=admin)
    assert delete.status_code == 409  # attended day one: withdraw, never delete

    for _ in range(50):  # the other services' read models follow the session that check-ins go to
        seating = {d["id"]: d["present"] for d in (await system.get(f"{base}/seating/delegates", headers=admin)).json()}
        if seating == {a["id"]: True, b["id"]: False}:
            break
        await asyncio.sleep(0.1)
    assert seating == {a["id"]: True, b["id"]: False}


async def test_absence_notes_per_session(system, admin, congress):
    base = f"/api/congresses/{congress}"
    delegate = await create_random_delegate(system, admin, congress)
    noted = await system.put(f"{base}/delegates/{delegate['id']}/absence", json={"reason": "Ốm"}, headers=admin)
    assert noted.status_code == 200 and noted.json()["reason"] == "Ốm"
    replaced = await system.put(f"{base}/delegates/{delegate['id']}/absence", json={"reason": "Đi công tác"},
                                headers=admin)
    assert replaced.json()["reason"] == "Đi công tác"
    assert (await system.delete(f"{base}/delegates/{delegate['id']}/absence", headers=admin)).status_code == 204
    unknown = await system.put(f"{base}/delegates/nobody/absence", json={"reason": "Ốm"}, headers=admin)
    assert unknown.status_code == 404


async def test_closing_freezes_check_in_and_publishes_congress_closed(system, admin, congress):
    base = f"/api/congresses/{congress}"
    present = await create_random_delegate(system, admin, congress)
    late = await create_random_delegate(system, admin, congress)
    checkin = await _check_in(system, admin, congress, present["id"])
    qr = (await system.get(f"{base}/delegates/{late['id']}/credentials", headers=admin)).json()["qr"]
    closed_events: list = []

    async def listen() -> None:
        async with system.app.state.gateway.bus.listen(TOPIC_CHECKIN) as events:
            async for envelope in events:
                if envelope.type == "congress.closed" and envelope.congress_id == congress:
                    closed_events.append(envelope)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    closed = await system.post(f"{base}/close", headers=admin)
    assert closed.status_code == 200 and closed.json()["closed_at"]
    for _ in range(50):
        if closed_events:
            break
        await asyncio.sleep(0.1)
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listener
    assert [e.payload["congress_id"] for e in closed_events] == [congress]

    for body in ({"delegate_id": late["id"]}, {"qr": qr}):
        refused = await system.post(f"{base}/checkins", json=body, headers=admin)
        assert refused.status_code == 409 and "bế mạc" in refused.json()["detail"]
    undo = await system.post(f"{base}/checkins/{checkin['id']}/revoke", json={"reason": "Bấm nhầm"}, headers=admin)
    assert undo.status_code == 409
    rule = await system.patch(base, json={"quorum_numerator": 3, "quorum_denominator": 4}, headers=admin)
    assert rule.status_code == 409
    final = await _attendance(system, admin, congress)
    assert (final["present"], final["closed"]) == (1, True)
    assert (await system.post(f"{base}/close", headers=admin)).json()["closed_at"] == closed.json()["closed_at"]
