"""The organisers' flow through the gateway: import, search, desk and QR check-in, undo, attendance."""
from __future__ import annotations

import asyncio

from congress_checkin.domain.roster_import import write_delegate_workbook

from tests.conftest import create_congress, create_random_delegate, import_roster, roster, spoil_workbook


async def test_import_300_search_and_sort(system, admin, congress):
    reply = await import_roster(system, admin, congress, roster(300))
    assert reply.json() == {"created": 300, "updated": 0, "unchanged": 0, "total": 300, "skipped_rows": []}
    page = (await system.get(f"/api/congresses/{congress}/delegates", params={"limit": 1000}, headers=admin)).json()
    assert page["total"] == 300
    given = [item["full_name"].split()[-1] for item in page["items"]]
    assert given[0] <= given[-1] or given[0].startswith("A")  # sorted by given name first
    target = page["items"][123]
    from congress_common.text import fold

    found = (await system.get(f"/api/congresses/{congress}/delegates", params={"q": fold(target["full_name"])},
                              headers=admin)).json()
    assert target["id"] in [item["id"] for item in found["items"]]


async def test_reimport_same_file_changes_nothing(system, admin, congress):
    rows = roster(50)
    assert (await import_roster(system, admin, congress, rows)).json()["created"] == 50
    again = (await import_roster(system, admin, congress, rows)).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 50, "total": 50, "skipped_rows": []}
    rows[0] = {**rows[0], "position": "Chủ tịch Công đoàn cơ sở"}
    assert (await import_roster(system, admin, congress, rows)).status_code == 409  # a change needs the preview
    plan = (await import_roster(system, admin, congress, rows, preview=True)).json()
    assert (await import_roster(system, admin, congress, rows, plan_id=plan["plan_id"])).json()["updated"] == 1


async def test_bad_file_rejected_row_by_row_nothing_imported(system, admin, congress):
    data = spoil_workbook(write_delegate_workbook(roster(10)), {(3, "Họ và tên"): None, (7, "Loại đại biểu"): "Danh dự"})
    files = {"file": ("danh-sach.xlsx", data, "application/octet-stream")}
    reply = await system.post(f"/api/congresses/{congress}/delegates/import", files=files, headers=admin)
    assert reply.status_code == 422
    errors = reply.json()["errors"]
    assert len({e["row"] for e in errors}) == 2
    assert any("Danh dự" in e["message"] for e in errors)
    assert (await system.get(f"/api/congresses/{congress}/delegates", headers=admin)).json()["total"] == 0
    garbage = {"file": ("x.xlsx", b"not an excel file", "application/octet-stream")}
    reply = await system.post(f"/api/congresses/{congress}/delegates/import", files=garbage, headers=admin)
    assert reply.status_code == 422 and reply.json()["detail"]


async def test_refused_rows_are_counted_once_with_all_their_errors(system, admin, congress):
    """Three bad rows, one of them with two errors: "3 dòng bị từ chối", that row's two errors together."""
    data = spoil_workbook(write_delegate_workbook(roster(10)), {
        (2, "Họ và tên"): None, (2, "Loại đại biểu"): "Danh dự", (5, "Năm sinh"): "năm ngoái",
        (7, "Loại đại biểu"): "Khách quý"})
    files = {"file": ("danh-sach.xlsx", data, "application/octet-stream")}
    preview = (await system.post(f"/api/congresses/{congress}/delegates/import/preview", files=files,
                                 headers=admin)).json()
    assert len(preview["refused"]) == 4
    assert [r["row"] for r in preview["refused_rows"]] == sorted({e["row"] for e in preview["refused"]})
    assert sorted(len(r["errors"]) for r in preview["refused_rows"]) == [1, 1, 2]
    both = next(r for r in preview["refused_rows"] if len(r["errors"]) == 2)
    assert {e["column"] for e in both["errors"]} == {"Họ và tên", "Loại đại biểu"}
    reply = await system.post(f"/api/congresses/{congress}/delegates/import", files=files, headers=admin)
    assert reply.status_code == 422 and "3 dòng bị từ chối (4 lỗi)" in reply.json()["detail"]


async def test_desk_checkin_counts_once_and_undo(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    first = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)
    again = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["already_checked_in"] and again.json()["id"] == first.json()["id"]
    attendance = (await system.get(f"/api/congresses/{congress}/attendance", headers=admin)).json()
    assert attendance["present"] == 1
    revoke = await system.post(f"/api/congresses/{congress}/checkins/{first.json()['id']}/revoke",
                               json={"reason": "Bấm nhầm người"}, headers=admin)
    assert revoke.status_code == 200 and revoke.json()["revoke_reason"] == "Bấm nhầm người"
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=admin)).json()["present"] == 0
    no_reason = await system.post(f"/api/congresses/{congress}/checkins/{first.json()['id']}/revoke",
                                  json={"reason": ""}, headers=admin)
    assert no_reason.status_code == 422


async def test_concurrent_checkins_of_one_delegate_count_once(system, admin, congress):
    delegates = [await create_random_delegate(system, admin, congress) for _ in range(5)]
    for delegate in delegates:  # the race is timing-dependent: run it several times
        replies = await asyncio.gather(*(system.post(f"/api/congresses/{congress}/checkins",
                                                     json={"delegate_id": delegate["id"]}, headers=admin) for _ in range(8)))
        assert sorted(r.status_code for r in replies) == [200] * 7 + [201], [r.text for r in replies if r.status_code >= 300]
        assert len({r.json()["id"] for r in replies}) == 1
    assert (await system.get(f"/api/congresses/{congress}/attendance", headers=admin)).json()["present"] == 5


async def test_qr_checkin_and_forged_or_foreign_tokens(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    creds = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/credentials", headers=admin)).json()
    reply = await system.post(f"/api/congresses/{congress}/checkins", json={"qr": creds["qr"]}, headers=admin)
    assert reply.status_code == 201 and reply.json()["method"] == "qr"
    forged = creds["qr"][:-3] + ("AAA" if not creds["qr"].endswith("AAA") else "BBB")
    reply = await system.post(f"/api/congresses/{congress}/checkins", json={"qr": forged}, headers=admin)
    assert reply.status_code == 422 and "QR" in reply.json()["detail"]
    other = await create_congress(system, admin)
    reply = await system.post(f"/api/congresses/{other}/checkins", json={"qr": creds["qr"]}, headers=admin)
    assert reply.status_code == 422


async def test_reissued_badge_invalidates_old_qr(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    old = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/credentials", headers=admin)).json()
    new = (await system.post(f"/api/congresses/{congress}/delegates/{delegate['id']}/badge/reissue", headers=admin)).json()
    assert new["qr"] != old["qr"] and new["pin"] != old["pin"]
    stale = await system.post(f"/api/congresses/{congress}/checkins", json={"qr": old["qr"]}, headers=admin)
    assert stale.status_code == 422
    ok = await system.post(f"/api/congresses/{congress}/checkins", json={"qr": new["qr"]}, headers=admin)
    assert ok.status_code == 201


async def test_quorum_line_is_two_thirds_of_official(system, admin, congress):
    officials = [await create_random_delegate(system, admin, congress) for _ in range(6)]
    await create_random_delegate(system, admin, congress, kind="guest")
    for delegate in officials[:3]:
        await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)
    attendance = (await system.get(f"/api/congresses/{congress}/attendance", headers=admin)).json()
    assert (attendance["summoned"], attendance["present"], attendance["quorum_required"]) == (6, 3, 4)
    assert attendance["quorum_met"] is False
    await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": officials[3]["id"]}, headers=admin)
    attendance = (await system.get(f"/api/congresses/{congress}/attendance", headers=admin)).json()
    assert attendance["quorum_met"] is True and attendance["absent"] == 2


async def test_read_models_follow_the_roster(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    removed = await create_random_delegate(system, admin, congress)
    await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)
    assert (await system.delete(f"/api/congresses/{congress}/delegates/{removed['id']}", headers=admin)).status_code == 204
    for _ in range(50):
        seating = (await system.get(f"/api/congresses/{congress}/seating/delegates", headers=admin)).json()
        audience = (await system.get(f"/api/congresses/{congress}/documents/audience", headers=admin)).json()
        if len(seating) == 1 and seating[0]["present"] and len(audience["readers"]) == 1:
            break
        await asyncio.sleep(0.1)
    assert [(d["id"], d["present"]) for d in seating] == [(delegate["id"], True)]
    assert [r["id"] for r in audience["readers"]] == [delegate["id"]]


async def test_update_delegate_and_export(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    reply = await system.patch(f"/api/congresses/{congress}/delegates/{delegate['id']}",
                               json={"delegation": "Công đoàn ngành Giáo dục", "roles": ["presidium"]}, headers=admin)
    assert reply.status_code == 200
    assert reply.json()["delegation_name"] == "Công đoàn ngành Giáo dục" and reply.json()["roles"] == ["presidium"]
    export = await system.get(f"/api/congresses/{congress}/delegates/export.xlsx", headers=admin)
    assert export.status_code == 200 and export.content[:2] == b"PK"
    from congress_checkin.domain.roster_import import parse_delegate_workbook

    parsed = parse_delegate_workbook(export.content)
    assert not parsed.errors and parsed.rows[0].full_name == delegate["full_name"]


async def test_import_generates_codes_that_do_not_clash_with_the_file(system, admin, congress):
    rows = roster(3)
    rows[0] = {**rows[0], "code": None}  # would get DB001, which row 2 of the file already uses
    rows[1] = {**rows[1], "code": "DB001"}
    reply = await import_roster(system, admin, congress, rows)
    assert reply.status_code == 200, reply.text
    codes = [d["code"] for d in (await system.get(f"/api/congresses/{congress}/delegates", headers=admin)).json()["items"]]
    assert sorted(codes) == sorted(set(codes)) and "DB001" in codes and len(codes) == 3


async def test_badge_is_a_standalone_svg(system, admin, congress):
    delegate = await create_random_delegate(system, admin, congress)
    reply = await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}/badge.svg", headers=admin)
    assert reply.headers["content-type"].startswith("image/svg+xml")
    assert b'xmlns="http://www.w3.org/2000/svg"' in reply.content


async def test_check_in_times_carry_their_time_zone(system, admin, congress):
    """Regression: times read back from SQLite had no offset, so a browser in Vietnam showed them 7 hours early."""
    from datetime import datetime

    delegate = await create_random_delegate(system, admin, congress)
    created = await system.post(f"/api/congresses/{congress}/checkins", json={"delegate_id": delegate["id"]}, headers=admin)
    listed = (await system.get(f"/api/congresses/{congress}/checkins", headers=admin)).json()[0]
    again = (await system.get(f"/api/congresses/{congress}/delegates/{delegate['id']}", headers=admin)).json()
    for stamp in (created.json()["checked_in_at"], listed["checked_in_at"], again["checked_in_at"]):
        assert datetime.fromisoformat(stamp.replace("Z", "+00:00")).utcoffset() is not None, stamp
    assert datetime.fromisoformat(listed["checked_in_at"].replace("Z", "+00:00")) == \
        datetime.fromisoformat(created.json()["checked_in_at"].replace("Z", "+00:00"))


async def test_search_puts_same_diacritics_then_whole_words_first(system, admin, congress):
    """"Thủy" still finds "Thùy" and "Thuyên" (no diacritics needed), but the Thủy the desk typed comes first."""
    for name in ("Nguyễn Văn Thuyên", "Trần Thị Thùy", "Phạm Thị Thuỷ", "Lê Thị Thủy"):
        await create_random_delegate(system, admin, congress, full_name=name, delegation="LĐLĐ huyện Lang Chánh")
    expected = ["Lê Thị Thủy", "Phạm Thị Thuỷ", "Trần Thị Thùy", "Nguyễn Văn Thuyên"]
    for path in ("delegates", "faces/delegates"):
        url = f"/api/congresses/{congress}/{path}"
        page = (await system.get(url, params={"q": "Thủy"}, headers=admin)).json()
        assert [item["full_name"] for item in page["items"]] == expected, path
        third = (await system.get(url, params={"q": "Thủy", "limit": 1, "offset": 2}, headers=admin)).json()
        assert ([item["full_name"] for item in third["items"]], third["total"]) == (["Trần Thị Thùy"], 4), path
    typed_bare = (await system.get(f"/api/congresses/{congress}/delegates", params={"q": "thuy"}, headers=admin)).json()
    assert [item["full_name"] for item in typed_bare["items"]][-1] == "Nguyễn Văn Thuyên"  # whole words first
    assert typed_bare["total"] == 4
