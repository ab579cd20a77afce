"""The credentials report through the gateway: live JSON and PDF, one snapshot agreeing with attendance."""
from __future__ import annotations

import asyncio

from tests.conftest import import_roster, pdf_text, roster

MUONG_LAT = "LĐLĐ huyện Mường Lát"


async def _roster_with_names(system, admin, cid, n: int = 30) -> list[dict]:
    rows = roster(n)
    rows[0] = {**rows[0], "full_name": "Nguyễn Thị Thủy", "delegation": MUONG_LAT, "gender": "female",
               "sending_unit": "Công đoàn ngành Giáo dục Đắk Lắk"}
    rows[1] = {**rows[1], "full_name": "Lò Văn Páo", "delegation": MUONG_LAT, "kind": "official"}
    assert (await import_roster(system, admin, cid, rows)).status_code == 200
    return (await system.get(f"/api/congresses/{cid}/delegates", params={"limit": 500}, headers=admin)).json()["items"]


def assert_consistent(report: dict) -> None:
    a = report["attendance"]
    assert a["present"] + a["absent"] == a["summoned"]
    assert len(report["absentees"]) == a["absent"]
    assert sum(u["present"] for u in report["by_delegation"]) == a["present"]
    assert sum(u["summoned"] for u in report["by_delegation"]) == a["summoned"]
    assert sum(u["present"] for u in report["by_sending_unit"]) == a["present"]
    for section in report["composition"]:
        assert section["base"] == a["present"]
        assert sum(r["count"] for r in section["rows"] if not r["indent"]) == a["present"], section["title"]


async def test_report_counts_withdrawals_and_absence_reasons_and_matches_attendance(system, admin, congress):
    base = f"/api/congresses/{congress}"
    people = await _roster_with_names(system, admin, congress)
    officials = [d for d in people if d["kind"] == "official"]
    for d in officials[:15]:
        await system.post(f"{base}/checkins", json={"delegate_id": d["id"]}, headers=admin)
    withdrawn, noted = officials[15], officials[16]
    await system.post(f"{base}/delegates/{withdrawn['id']}/withdraw", json={"reason": "Ốm, xin về"}, headers=admin)
    await system.put(f"{base}/delegates/{noted['id']}/absence", json={"reason": "Đi công tác"}, headers=admin)

    reply = await system.get(f"{base}/credentials-report", headers=admin)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    attendance = (await system.get(f"{base}/attendance", headers=admin)).json()
    assert report["attendance"] == attendance  # the same numbers at the same instant
    assert report["attendance"]["summoned"] == len(officials)  # the withdrawn delegate is still summoned
    assert_consistent(report)
    reasons = {a["code"]: a["reason"] for a in report["absentees"]}
    assert reasons[withdrawn["code"]] == "Rút khỏi đại hội: Ốm, xin về"
    assert reasons[noted["code"]] == "Đi công tác"
    assert report["absent_with_reason"] == 2
    kinds = {k["label"]: k for k in report["others"]}
    assert kinds["Đại biểu dự khuyết"]["total"] == sum(d["kind"] == "alternate" for d in people)
    women = next(s for s in report["composition"] if s["title"] == "Giới tính")["rows"][0]
    assert women["label"] == "Nữ" and women["count"] >= 1  # Nguyễn Thị Thủy is present


async def test_report_stays_one_snapshot_while_delegates_check_in(system, admin, congress):
    base = f"/api/congresses/{congress}"
    officials = [d for d in await _roster_with_names(system, admin, congress, 60) if d["kind"] == "official"]

    async def check_in(d):
        await system.post(f"{base}/checkins", json={"delegate_id": d["id"]}, headers=admin)

    async def report():
        reply = await system.get(f"{base}/credentials-report", headers=admin)
        assert reply.status_code == 200
        return reply.json()

    results = await asyncio.gather(*(check_in(d) for d in officials[:30]), *(report() for _ in range(6)))
    for snapshot in results[30:]:
        assert_consistent(snapshot)
    final = await report()
    assert final["attendance"]["present"] == 30


async def test_report_pdf_renders_vietnamese_and_the_figures(system, admin, congress):
    base = f"/api/congresses/{congress}"
    people = await _roster_with_names(system, admin, congress)
    thuy = next(d for d in people if d["full_name"] == "Nguyễn Thị Thủy")
    await system.post(f"{base}/checkins", json={"delegate_id": thuy["id"]}, headers=admin)
    reply = await system.get(f"{base}/credentials-report.pdf", headers=admin)
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    text = pdf_text(reply.content)
    for needle in ("BÁO CÁO THẨM TRA TƯ CÁCH ĐẠI BIỂU", MUONG_LAT, "Công đoàn ngành Giáo dục Đắk Lắk", "Lò Văn Páo",
                   "chưa đạt 2/3", "Dân tộc thiểu số"):
        assert needle in text, needle
    summoned = (await system.get(f"{base}/attendance", headers=admin)).json()["summoned"]
    assert f"(1/{summoned})" in text


async def test_report_of_a_congress_without_delegates_gives_no_quorum_figure(system, admin, congress):
    base = f"/api/congresses/{congress}"
    report = (await system.get(f"{base}/credentials-report", headers=admin)).json()
    assert report["attendance"]["summoned"] == 0
    reply = await system.get(f"{base}/credentials-report.pdf", headers=admin)
    assert reply.status_code == 200
    text = " ".join(pdf_text(reply.content).split())
    assert "chưa tính được số tối thiểu (2/3)" in text
    assert "(0/0)" not in text and "chưa đạt" not in text and "đủ điều kiện tiến hành theo" not in text
    minimum = next(line for line in pdf_text(reply.content).splitlines() if "Số có mặt tối thiểu" in line)
    assert "0" not in minimum.replace("(2/3", ""), minimum  # "—", never "at least 0"
