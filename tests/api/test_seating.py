"""Seating through the gateway: hall, placement of an imported roster, manual edits, races, publication, my seat."""
from __future__ import annotations

import asyncio

from tests.conftest import import_roster, make_delegate_login, make_organiser, roster

HALL = {"name": "Hội trường Trung tâm Hội nghị tỉnh", "stage_rows": 2, "stage_seats_per_row": 10,
        "sections": [{"code": "A", "rows": 8, "seats_per_row": 12, "aisles_after": [6]},
                     {"code": "B", "rows": 8, "seats_per_row": 12, "aisles_after": [6]}],
        "blocked": ["A-01-01"], "reserved": {"B-08-12": "Báo chí"}}


async def until(check, tries: int = 100):
    """Poll (events reach the seating service asynchronously) until ``check()`` returns something truthy."""
    for _ in range(tries):
        if result := await check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("the read model did not catch up")


async def seated_congress(system, headers, cid, n=120):
    assert (await import_roster(system, headers, cid, roster(n))).status_code == 200

    async def known():
        return len((await system.get(f"/api/congresses/{cid}/seating/delegates", headers=headers)).json()) == n

    await until(known)
    hall = await system.put(f"/api/congresses/{cid}/seating/hall", json=HALL, headers=headers)
    assert hall.status_code == 200, hall.text
    report = await system.post(f"/api/congresses/{cid}/seating/placement", json={"order": "size"}, headers=headers)
    assert report.status_code == 200, report.text
    return report.json()


async def test_hall_placement_edit_publish_and_my_seat(system, admin, congress):
    report = await seated_congress(system, admin, congress)
    assert report["seated"] == 120 and report["unseated"] == 0, report
    plan = (await system.get(f"/api/congresses/{congress}/seating/plan", headers=admin)).json()
    assert len(plan["seats"]) == 20 + 192 and plan["published_at"] is None
    by_seat = {s["id"]: s for s in plan["seats"]}
    stage = [s for s in plan["seats"] if s["stage"] and s["delegate_id"]]
    presidium = [p for p in plan["people"] if "presidium" in p["roles"]]
    assert {s["delegate_id"] for s in stage} >= {p["id"] for p in presidium}
    assert by_seat[next(s["id"] for s in plan["seats"] if s["label"] == "A-01-01")]["delegate_id"] is None
    someone = next(p for p in plan["people"] if p["kind"] == "official" and not p["roles"])
    other = next(p for p in plan["people"] if p["delegation_id"] != someone["delegation_id"] and not p["roles"])
    swap = await system.post(f"/api/congresses/{congress}/seating/swap",
                             json={"seat_a": someone["seat_id"], "seat_b": other["seat_id"]}, headers=admin)
    assert swap.status_code == 200
    after = {p["id"]: p["seat_id"] for p in swap.json()["people"]}
    assert after[someone["id"]] == other["seat_id"] and after[other["id"]] == someone["seat_id"]
    taken = await system.post(f"/api/congresses/{congress}/seating/assign",
                              json={"seat_id": other["seat_id"], "delegate_id": other["id"]}, headers=admin)
    assert taken.status_code == 409 and someone["full_name"] in taken.json()["detail"]

    delegate = await make_delegate_login(system, admin, congress, someone["id"])
    before = (await system.get(f"/api/congresses/{congress}/me/seat", headers=delegate)).json()
    assert before["published"] is False and before["label"] is None
    early = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": other["id"]}, headers=admin)
    assert early.status_code == 201 and early.json()["seat"] is None  # not published yet
    assert (await system.post(f"/api/congresses/{congress}/seating/publish", headers=admin)).status_code == 200
    mine = (await system.get(f"/api/congresses/{congress}/me/seat", headers=delegate)).json()
    assert mine["published"] and mine["label"] == by_seat[other["seat_id"]]["label"] and len(mine["map"]) == 212
    assert f", hàng {int(mine['row'])}, " in mine["message"] and "hàng 0" not in mine["message"]  # "hàng 7", not "07"
    assert (await system.get(f"/api/congresses/{congress}/seating/plan", headers=delegate)).status_code == 403

    async def seat_in_checkin():  # check-in's read model of seats follows the seating events
        reply = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": someone["id"]},
                                  headers=admin)
        return reply.json()["seat"]

    assert (await until(seat_in_checkin))["label"] == mine["label"]


async def test_concurrent_assignments_of_one_seat_give_one_winner_and_a_409_naming_it(system, admin, congress):
    await seated_congress(system, admin, congress, n=40)
    plan = (await system.get(f"/api/congresses/{congress}/seating/plan", headers=admin)).json()
    free = next(s for s in plan["seats"] if s["delegate_id"] is None and s["status"] == "open" and not s["stage"])
    a, b, c = [p for p in plan["people"] if not p["roles"]][:3]
    replies = await asyncio.gather(*(system.post(f"/api/congresses/{congress}/seating/assign", headers=admin,
                                                 json={"seat_id": free["id"], "delegate_id": p["id"]}) for p in (a, b, c)))
    codes = sorted(r.status_code for r in replies)
    assert codes == [200, 409, 409], [r.text for r in replies]
    winner = next(p for p, r in zip((a, b, c), replies, strict=True) if r.status_code == 200)
    assert all(winner["full_name"] in r.json()["detail"] for r in replies if r.status_code == 409)
    plan = (await system.get(f"/api/congresses/{congress}/seating/plan", headers=admin)).json()
    assert sum(1 for s in plan["seats"] if s["delegate_id"] == winner["id"]) == 1


async def test_bad_input_is_a_clear_4xx_and_nothing_half_saved(system, admin, congress):
    url = f"/api/congresses/{congress}/seating"
    assert (await system.get(f"{url}/plan", headers=admin)).status_code == 404
    assert (await system.post(f"{url}/placement", json={}, headers=admin)).status_code == 404
    bad = await system.put(f"{url}/hall", json={**HALL, "blocked": ["Z-99-99"]}, headers=admin)
    assert bad.status_code == 422 and "Z-99-99" in bad.json()["detail"]
    assert (await system.get(f"{url}/plan", headers=admin)).status_code == 404
    unnamed = await system.put(f"{url}/hall", json={**HALL, "name": "", "sections": [
        {"code": "A", "rows": 0, "seats_per_row": 12}]}, headers=admin)
    messages = " · ".join(e["message"] for e in unnamed.json()["errors"])  # the form's labels, nested ones too
    assert unnamed.status_code == 422 and "Tên hội trường" in messages and "Số hàng của khu" in messages, messages
    assert "sections.0" not in messages
    await seated_congress(system, admin, congress, n=300)  # 190 usable floor seats + 15 on stage (13 + 2)
    plan = (await system.get(f"{url}/plan", headers=admin)).json()
    assert sum(1 for p in plan["people"] if p["seat_id"] is None) == 300 - 190 - 15
    small = {**HALL, "sections": [{"code": "A", "rows": 2, "seats_per_row": 12}], "reserved": {}}
    refused = await system.put(f"{url}/hall", json=small, headers=admin)
    assert refused.status_code == 409 and "Xác nhận" in refused.json()["detail"] and refused.json()["errors"]
    assert len((await system.get(f"{url}/plan", headers=admin)).json()["seats"]) == 212
    confirmed = await system.put(f"{url}/hall", json={**small, "confirm": True}, headers=admin)
    assert confirmed.status_code == 200 and len(confirmed.json()["seats"]) == 44


async def test_removed_delegate_frees_the_seat_and_organisers_of_other_congresses_are_refused(system, admin, congress):
    await seated_congress(system, admin, congress, n=30)
    plan = (await system.get(f"/api/congresses/{congress}/seating/plan", headers=admin)).json()
    gone = next(p for p in plan["people"] if not p["roles"])
    assert (await system.delete(f"/api/congresses/{congress}/delegates/{gone['id']}", headers=admin)).status_code == 204

    async def released():
        plan = (await system.get(f"/api/congresses/{congress}/seating/plan", headers=admin)).json()
        return all(s["delegate_id"] != gone["id"] for s in plan["seats"])

    await until(released)
    from tests.conftest import create_congress

    other = await create_congress(system, admin)
    stranger = await make_organiser(system, admin, other)
    assert (await system.get(f"/api/congresses/{congress}/seating/plan", headers=stranger)).status_code == 403
    copy = await system.post(f"/api/congresses/{other}/seating/hall/copy", json={"from_congress_id": congress},
                             headers=stranger)
    assert copy.status_code == 404
    copied = await system.post(f"/api/congresses/{other}/seating/hall/copy", json={"from_congress_id": congress},
                               headers=admin)
    assert copied.status_code == 200 and len(copied.json()["seats"]) == 212


async def test_hall_from_excel_then_chart_and_seat_cards_print_in_vietnamese(system, admin, congress):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.conftest import pdf_text

    url = f"/api/congresses/{congress}/seating"
    template = await system.get(f"{url}/hall/template", headers=admin)
    assert template.status_code == 200
    sheet = load_workbook(BytesIO(template.content)).active
    sheet.merge_cells("A3:A4")  # Khu merged over two lines: refused, nothing saved
    merged = BytesIO()
    sheet.parent.save(merged)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    refused = await system.post(f"{url}/hall/import", headers=admin, data={"name": "Cung Văn hóa"},
                                files={"file": ("hoi-truong.xlsx", merged.getvalue(), xlsx)})
    assert refused.status_code == 422 and "A3:A4" in refused.json()["detail"], refused.text
    assert (await system.get(f"{url}/plan", headers=admin)).status_code == 404
    sheet.unmerge_cells("A3:A4")
    sheet["A4"] = "A"
    for r in range(3, 21):  # a bigger section A for the roster
        sheet.append(["A", r, 14, 7])
    fixed = BytesIO()
    sheet.parent.save(fixed)
    imported = await system.post(f"{url}/hall/import", headers=admin, data={"name": "Cung Văn hóa tỉnh Thanh Hóa"},
                                 files={"file": ("hoi-truong.xlsx", fixed.getvalue(), xlsx)})
    assert imported.status_code == 200, imported.text
    plan = imported.json()
    assert plan["name"] == "Cung Văn hóa tỉnh Thanh Hóa" and len(plan["seats"]) == 26 + 20 * 14 + 2 * 16

    assert (await import_roster(system, admin, congress, roster(60))).status_code == 200

    async def known():
        return len((await system.get(f"{url}/delegates", headers=admin)).json()) == 60

    await until(known)
    report = await system.post(f"{url}/placement", json={"order": "list"}, headers=admin)
    assert report.status_code == 200 and report.json()["seated"] == 60, report.text
    plan = (await system.get(f"{url}/plan", headers=admin)).json()
    colours = [d["colour"] for d in plan["delegations"]]
    assert len(set(colours)) == len(colours) and all(c.startswith("#") and len(c) == 7 for c in colours)

    chart = await system.get(f"{url}/chart.pdf", headers=admin)
    assert chart.status_code == 200 and chart.headers["content-type"] == "application/pdf"
    text = pdf_text(chart.content)
    assert "SƠ ĐỒ CHỖ NGỒI — Cung Văn hóa tỉnh Thanh Hóa" in text and "SÂN KHẤU" in text
    someone = next(p for p in plan["people"] if p["seat_id"])
    assert someone["full_name"] in text and plan["delegations"][0]["name"] in text
    import re

    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", chart.content)
    assert [round(float(v) / 72 * 25.4) for v in box.groups()] == [420, 297]  # A3 landscape, in mm

    async def cards():
        reply = await system.get(f"/api/congresses/{congress}/seat-cards.pdf", headers=admin)
        return reply if reply.status_code == 200 else None

    printed = pdf_text((await until(cards)).content)
    seat = next(s for s in plan["seats"] if s["id"] == someone["seat_id"])
    assert someone["full_name"] in printed and seat["label"] in printed and "CHỖ NGỒI" in printed
    assert f"Hàng {int(seat['row'])} ·" in printed and "Hàng 0" not in printed  # as the desk and the phone say it
    # delegations in Vietnamese dictionary order of their whole names, on the cards and in the delegations list
    from congress_common.text import vietnamese_text_key

    seated = sorted({p["delegation_name"] for p in plan["people"] if p["seat_id"]}, key=vietnamese_text_key)
    firsts = [printed.find(name) for name in seated]
    assert -1 not in firsts and firsts == sorted(firsts), seated
    listed = [d["name"] for d in (await system.get(f"/api/congresses/{congress}/delegations", headers=admin)).json()]
    assert listed == sorted(listed, key=vietnamese_text_key) and set(seated) <= set(listed)


async def test_a_withdrawn_delegate_is_flagged_on_the_map_and_reinstating_clears_it(system, admin, congress):
    await seated_congress(system, admin, congress, n=40)
    base = f"/api/congresses/{congress}"
    plan = (await system.get(f"{base}/seating/plan", headers=admin)).json()
    leaving = next(p for p in plan["people"] if p["kind"] == "official" and not p["roles"] and p["seat_id"])
    reply = await system.post(f"{base}/delegates/{leaving['id']}/withdraw", json={"reason": "Ốm, xin về"}, headers=admin)
    assert reply.status_code == 200, reply.text

    async def flagged():
        seen = (await system.get(f"{base}/seating/plan", headers=admin)).json()
        person = next(p for p in seen["people"] if p["id"] == leaving["id"])
        return seen if person["withdrawn"] else None

    seen = await until(flagged)
    person = next(p for p in seen["people"] if p["id"] == leaving["id"])
    assert person["seat_id"] == leaving["seat_id"]  # kept in place, never moved silently
    assert any(leaving["full_name"] in w and "rút khỏi đại hội" in w for w in seen["warnings"]), seen["warnings"]
    assert (await system.post(f"{base}/delegates/{leaving['id']}/reinstate", headers=admin)).status_code == 200

    async def cleared():
        again = (await system.get(f"{base}/seating/plan", headers=admin)).json()
        return again if not next(p for p in again["people"] if p["id"] == leaving["id"])["withdrawn"] else None

    assert not any("rút khỏi đại hội" in w for w in (await until(cleared))["warnings"])
