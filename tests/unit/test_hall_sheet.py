"""The hall plan from Excel: the template reads back, and merged cells, gaps, duplicates and bad numbers are refused."""
from __future__ import annotations

from io import BytesIO

import pytest
from congress_seating.domain.hall import STAGE, Hall, SeatStatus
from congress_seating.domain.hall_sheet import HallSheetError, hall_template, parse_hall_workbook
from openpyxl import Workbook

HEADER = ["Khu", "Hàng", "Số ghế", "Lối đi sau ghế số", "Ghế không sử dụng", "Ghế dành riêng"]


def sheet(*lines, title: str | None = None, merge: str | None = None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    if title:
        ws.append([title])
    ws.append(HEADER)
    for line in lines:
        ws.append(list(line))
    if merge:
        ws.merge_cells(merge)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_template_reads_back_with_stage_aisles_blocked_and_reserved_seats():
    parsed = parse_hall_workbook(hall_template())
    hall = Hall.build("00000000-0000-0000-0000-000000000007", "c", "Hội trường", list(parsed.seats))
    assert parsed.lines == 6 and len(hall.stage_seats()) == 26 and len(hall.floor_seats()) == 60
    assert hall.by_label["A-01-13"].status is SeatStatus.reserved and hall.by_label["A-01-13"].purpose == "Báo chí"
    assert hall.by_label["A-02-01"].status is SeatStatus.blocked
    assert {s.block for s in hall.floor_seats() if s.section == "A"} == {0, 1}
    assert hall.by_label["A-01-07"].block == 0 and hall.by_label["A-01-08"].block == 1


def test_title_above_the_header_stage_by_name_ranges_and_float_cells():
    parsed = parse_hall_workbook(sheet(("Sân khấu", 1, 8), ("a", 1.0, 10.0, "5", "2-3", "9-10: Ban Thẩm tra"),
                                       ("A", 2, 10), title="Sơ đồ Cung Văn hóa tỉnh Thanh Hóa"))
    seats = {s.label: s for s in parsed.seats}
    assert seats["SK-01-08"].section == STAGE and seats["A-01-02"].status is SeatStatus.blocked
    assert seats["A-01-10"].purpose == "Ban Thẩm tra" and seats["A-02-10"].status is SeatStatus.open


def test_merged_cells_are_refused_naming_the_range():
    data = sheet(("A", 1, 10), ("", 2, 10), ("B", 1, 10), merge="A2:A3")
    with pytest.raises(HallSheetError, match=r"ô gộp.*A2:A3") as refused:
        parse_hall_workbook(data)
    assert refused.value.errors == [{"cells": "A2:A3", "message": "Ô gộp"}]


def test_missing_and_repeated_rows_and_bad_numbers_are_each_reported_by_line():
    data = sheet(("A", 1, 10), ("A", 2, 10), ("A", 4, 10), ("A", 2, 12), ("B", 1, "mười"), ("B", 2, 10, "", "11"),
                 ("Khu B!", 1, 5))
    with pytest.raises(HallSheetError) as refused:
        parse_hall_workbook(data)
    messages = [e["message"] for e in refused.value.errors]
    assert any("Thiếu hàng 3 của khu A" in m for m in messages), messages
    assert any(m.startswith("Dòng 5: hàng 2 của khu A đã có ở dòng 3") for m in messages), messages
    assert any(m.startswith("Dòng 6: Số ghế phải là số nguyên") for m in messages), messages
    assert any(m.startswith("Dòng 7: Ghế không sử dụng") for m in messages), messages
    assert any("Khu 'Khu B!' không hợp lệ" in m for m in messages), messages


def test_not_a_hall_sheet():
    with pytest.raises(HallSheetError, match="chưa có hàng ghế nào ngoài sân khấu"):
        parse_hall_workbook(sheet(("SK", 1, 10)))  # the header is there, but only a stage
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Đoàn đại biểu"])
    out = BytesIO()
    workbook.save(out)
    with pytest.raises(HallSheetError, match="dòng tiêu đề"):
        parse_hall_workbook(out.getvalue())
    with pytest.raises(HallSheetError, match=r"\.xlsx"):
        parse_hall_workbook(b"not a workbook")
