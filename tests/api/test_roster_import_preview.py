"""The roster never loses a person: preview, confirmation, protected renames, same-name warnings, limits."""
from __future__ import annotations

from tests.conftest import import_roster, roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _checked_in_roster(system, admin, congress, n: int = 5) -> list[dict]:
    rows = roster(n)
    assert (await import_roster(system, admin, congress, rows)).status_code == 200
    page = (await system.get(f"/api/congresses/{congress}/delegates", headers=admin)).json()["items"]
    first = next(d for d in page if d["code"] == "DB001")
    reply = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": first["id"]}, headers=admin)
    assert reply.status_code == 201
    return rows


async def _delegate(system, admin, congress, code: str) -> dict:
    page = (await system.get(f"/api/congresses/{congress}/delegates", params={"q": code}, headers=admin)).json()
    return next(d for d in page["items"] if d["code"] == code)


async def test_importing_the_template_unchanged_never_touches_a_real_delegate(system, admin, congress):
    """Regression: the template's sample row replaced checked-in DB001 and was counted present."""
    await _checked_in_roster(system, admin, congress)
    before = await _delegate(system, admin, congress, "DB001")
    template = (await system.get(f"/api/congresses/{congress}/delegates/import/template", headers=admin)).content
    files = {"file": ("mau.xlsx", template, XLSX)}
    preview = await system.post(f"/api/congresses/{congress}/delegates/import/preview", files=files, headers=admin)
    assert preview.status_code == 200
    assert preview.json()["skipped_examples"] == [2]
    assert (preview.json()["added"], preview.json()["changed"]) == ([], [])
    reply = await system.post(f"/api/congresses/{congress}/delegates/import", files=files, headers=admin)
    assert reply.status_code == 422 and "không có dòng" in reply.json()["detail"]
    assert await _delegate(system, admin, congress, "DB001") == before
    attendance = (await system.get(f"/api/congresses/{congress}/attendance", headers=admin)).json()
    assert attendance["present"] == 1


async def test_preview_shows_every_decision_and_writes_nothing(system, admin, congress):
    rows = await _checked_in_roster(system, admin, congress)
    rows[1] = {**rows[1], "position": "Phó Chủ tịch LĐLĐ tỉnh"}
    rows.append({**roster(6)[5], "code": "DB100", "full_name": "Hà Thị Mai"})
    rows.append({**roster(6)[5], "code": "DB101", "full_name": "Lò Văn Páo", "birth_year": 1900})
    reply = await import_roster(system, admin, congress, rows, preview=True)
    plan = reply.json()
    assert reply.status_code == 200, plan
    assert [a["code"] for a in plan["added"]] == ["DB100"]
    assert [c["code"] for c in plan["changed"]] == [rows[1]["code"]]
    change = plan["changed"][0]["changes"]
    assert change == [{"field": "position", "label": "Chức vụ", "old": roster(5)[1]["position"],
                       "new": "Phó Chủ tịch LĐLĐ tỉnh"}]
    assert len(plan["unchanged"]) == 4
    assert plan["refused"][0]["row"] == 8 and plan["needs_confirmation"]
    page = (await system.get(f"/api/congresses/{congress}/delegates", headers=admin)).json()
    assert page["total"] == 5  # nothing written


async def test_changes_need_the_plan_that_was_previewed(system, admin, congress):
    rows = await _checked_in_roster(system, admin, congress)
    rows[2] = {**rows[2], "education": "Thạc sĩ"}
    refused = await import_roster(system, admin, congress, rows)
    assert refused.status_code == 409 and "xem trước" in refused.json()["detail"]
    plan = (await import_roster(system, admin, congress, rows, preview=True)).json()
    rows[3] = {**rows[3], "education": "Tiến sĩ"}  # the file changed after the preview
    stale = await import_roster(system, admin, congress, rows, plan_id=plan["plan_id"])
    assert stale.status_code == 409 and "xem trước lại" in stale.json()["detail"]
    plan = (await import_roster(system, admin, congress, rows, preview=True)).json()
    done = await import_roster(system, admin, congress, rows, plan_id=plan["plan_id"])
    assert done.json() == {"created": 0, "updated": 2, "unchanged": 3, "total": 5, "skipped_rows": []}


async def test_renaming_a_checked_in_delegate_needs_its_own_confirmation(system, admin, congress):
    rows = await _checked_in_roster(system, admin, congress)
    index = next(i for i, r in enumerate(rows) if r["code"] == "DB001")
    original = rows[index]["full_name"]
    rows[index] = {**rows[index], "full_name": "Nguyễn Thị Thủy"}
    plan = (await import_roster(system, admin, congress, rows, preview=True)).json()
    protected = plan["changed"][0]
    assert protected["protected"] == "Đổi họ tên của đại biểu đã điểm danh" and protected["code"] == "DB001"
    kept = await import_roster(system, admin, congress, rows, plan_id=plan["plan_id"])
    assert kept.json()["skipped_rows"] == [protected["row"]] and kept.json()["updated"] == 0
    assert (await _delegate(system, admin, congress, "DB001"))["full_name"] == original
    confirmed = await import_roster(system, admin, congress, rows, plan_id=plan["plan_id"],
                                    confirm_rows=[protected["row"]])
    assert confirmed.json()["updated"] == 1
    assert (await _delegate(system, admin, congress, "DB001"))["full_name"] == "Nguyễn Thị Thủy"


async def test_same_name_in_a_delegation_warns_and_asks_in_the_import(system, admin, congress):
    """Regression: the import refused a second 'Đinh Văn Tiến' while the form accepted it silently."""
    base = {"delegation": "LĐLĐ huyện Lang Chánh", "kind": "official", "full_name": "Đinh Văn Tiến"}
    rows = [{**base, "code": "DB001", "birth_year": 1970}, {**base, "code": "DB002", "birth_year": 1985}]
    asked = await import_roster(system, admin, congress, rows)
    assert asked.status_code == 409
    plan = (await import_roster(system, admin, congress, rows, preview=True)).json()
    assert [w["row"] for w in plan["warnings"]] == [2, 3] and "Đinh Văn Tiến" in plan["warnings"][0]["message"]
    done = await import_roster(system, admin, congress, rows, plan_id=plan["plan_id"])
    assert done.json()["created"] == 2
    again = await import_roster(system, admin, congress, rows)  # already confirmed: nothing new to ask
    assert again.json()["unchanged"] == 2


async def test_same_name_in_a_delegation_warns_and_asks_in_the_form(system, admin, congress):
    path = f"/api/congresses/{congress}/delegates"
    body = {"full_name": "Đinh Văn Tiến", "delegation": "LĐLĐ huyện Lang Chánh"}
    assert (await system.post(path, json=body, headers=admin)).status_code == 201
    second = await system.post(path, json={**body, "full_name": "đinh văn tiến"}, headers=admin)
    assert second.status_code == 409
    assert second.json()["errors"][0]["duplicate_of"] == "DB001" and "Đinh Văn Tiến" in second.json()["detail"]
    confirmed = await system.post(path, json=body, params={"confirm_duplicate": "true"}, headers=admin)
    assert confirmed.status_code == 201
    other = await system.post(path, json={**body, "full_name": "Đinh Văn Tiên"}, headers=admin)
    renamed = await system.patch(f"{path}/{other.json()['id']}", json={"full_name": "Đinh Văn Tiến"}, headers=admin)
    assert renamed.status_code == 409


async def test_one_set_of_limits_with_vietnamese_messages_naming_the_field(system, admin, congress):
    """Regression: a 488-character imported name could not be edited; the form answered in English."""
    rows = roster(2)
    rows[0] = {**rows[0], "full_name": "Nguyễn Văn " + "An" * 238}
    reply = await import_roster(system, admin, congress, rows)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["message"] == "Họ và tên dài quá 200 ký tự (có 487 ký tự)"
    path = f"/api/congresses/{congress}/delegates"
    long_delegation = await system.post(path, json={"full_name": "Lê Văn Hùng", "delegation": "Đ" * 301}, headers=admin)
    assert long_delegation.status_code == 422
    assert long_delegation.json()["detail"] == "Đoàn đại biểu dài quá 300 ký tự (có 301 ký tự)"
    assert long_delegation.json()["errors"][0]["field"] == "delegation"
    longest = {"full_name": "Lê Văn " + "a" * 192, "delegation": "Đ" * 300}
    created = await system.post(path, json=longest, headers=admin)
    assert created.status_code == 201
    edited = await system.patch(f"{path}/{created.json()['id']}", json={"full_name": longest["full_name"] + "b"},
                                headers=admin)
    assert edited.status_code == 200 and len(edited.json()["full_name"]) == 200
