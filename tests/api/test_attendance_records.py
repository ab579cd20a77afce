"""Attendance records: the Excel export (presence, local time, method, reasons; one sheet per session)."""
from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl

from tests.conftest import create_random_delegate


async def test_attendance_export_has_every_session_with_time_method_and_reasons(system, admin, congress):
    base = f"/api/congresses/{congress}"
    people = [await create_random_delegate(system, admin, congress, full_name=name, delegation="LĐLĐ huyện Mường Lát")
              for name in ("Nguyễn Thị Thủy", "Lò Văn Páo", "Hà Văn Sáu", "=HYPERLINK(\"x\")")]
    thuy, pao, sau, formula = people
    desk = (await system.post(f"{base}/checkins", json={"delegate_id": thuy["id"]}, headers=admin)).json()
    qr = (await system.get(f"{base}/delegates/{pao['id']}/credentials", headers=admin)).json()["qr"]
    await system.post(f"{base}/checkins", json={"qr": qr}, headers=admin)
    await system.post(f"{base}/delegates/{sau['id']}/withdraw", json={"reason": "Ốm, xin về"}, headers=admin)
    await system.put(f"{base}/delegates/{formula['id']}/absence", json={"reason": "Đi công tác"}, headers=admin)
    second = (await system.post(f"{base}/sessions", json={"name": "Phiên ngày thứ hai: bế mạc"}, headers=admin)).json()
    await system.post(f"{base}/sessions/{second['id']}/start", headers=admin)
    await system.post(f"{base}/checkins", json={"delegate_id": thuy["id"]}, headers=admin)

    reply = await system.get(f"{base}/attendance/export.xlsx", headers=admin)
    assert reply.status_code == 200 and reply.content[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    assert book.sheetnames == ["Tổng hợp", "1. Phiên thứ nhất", "2. Phiên ngày thứ hai  bế mạc"]
    summary = [[c.value for c in row] for row in book["Tổng hợp"].iter_rows(min_row=3)]
    assert [(r[0], r[1], r[2]) for r in summary] == [("Phiên thứ nhất", "4", "2"), ("Phiên ngày thứ hai: bế mạc", "4", "1")]
    first = {row[2]: row for row in ([c.value for c in r] for r in book["1. Phiên thứ nhất"].iter_rows(min_row=2))}
    local = datetime.fromisoformat(desk["checked_in_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert first["Nguyễn Thị Thủy"][5:8] == ["Có mặt", local.strftime("%d/%m/%Y %H:%M:%S"), "Tại bàn điểm danh"]
    assert first["Lò Văn Páo"][7] == "Quét mã QR"
    assert (first["Hà Văn Sáu"][5], first["Hà Văn Sáu"][9]) == ("Đã rút", "Rút khỏi đại hội: Ốm, xin về")
    assert "'=HYPERLINK(\"x\")" in first  # a formula-looking name stays text
    assert first["'=HYPERLINK(\"x\")"][9] == "Đi công tác"
    day_two = {row[2]: row[5] for row in ([c.value for c in r] for r in book.worksheets[2].iter_rows(min_row=2))}
    assert day_two == {"Nguyễn Thị Thủy": "Có mặt", "Lò Văn Páo": "Vắng", "Hà Văn Sáu": "Đã rút",
                       "'=HYPERLINK(\"x\")": "Vắng"}


async def test_attendance_export_of_a_congress_without_delegates_gives_no_minimum(system, admin, congress):
    reply = await system.get(f"/api/congresses/{congress}/attendance/export.xlsx", headers=admin)
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    summary = [[c.value for c in row] for row in book["Tổng hợp"].iter_rows(min_row=3)]
    assert [r[:6] for r in summary] == [["Phiên thứ nhất", "0", "0", "0", "—", "Chưa có đại biểu"]]
