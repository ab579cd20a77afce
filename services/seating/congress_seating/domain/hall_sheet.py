"""A hall plan from Excel: one line per row of seats (section, row, number of seats, aisles, unused and reserved seats).

| Khu | Hàng | Số ghế | Lối đi sau ghế số | Ghế không sử dụng | Ghế dành riêng |
| SK  | 1    | 12     |                   |                   |                |
| A   | 1    | 14     | 7                 | 1, 14             | 13-14: Báo chí |

The section ``SK`` (or "Sân khấu") is the stage. The header may sit below a
title (first 10 lines). Merged cells, a row listed twice, a gap in a
section's row numbers (1, 2, 4) and bad numbers are refused, each with its
line and a Vietnamese message, so nothing is half-imported. Runs in the
workbook worker (``congress_common.workbooks``); the parse function is at
module level so it can be pickled there.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from io import BytesIO
from itertools import islice
from typing import Any

from congress_common.text import fold
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from .hall import STAGE, SeatDef, SeatStatus, row_text, seat_label

HEADERS = {"section": "Khu", "row": "Hàng", "seats": "Số ghế", "aisles": "Lối đi sau ghế số",
           "blocked": "Ghế không sử dụng", "reserved": "Ghế dành riêng"}
REQUIRED = ("section", "row", "seats")
HEADER_SEARCH_ROWS = 10
MAX_LINES = 2000
MAX_SEATS_PER_ROW = 200
STAGE_NAMES = {"sk", "san khau"}
CODE = re.compile(r"^[A-Za-z0-9]{1,6}$")


class HallSheetError(ValueError):
    """The sheet cannot become a hall: ``errors`` lists each line's problem."""

    def __init__(self, message: str, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    def __reduce__(self):  # raised in the worker process: keep the errors through pickling
        return (HallSheetError, (str(self), self.errors))


@dataclass(frozen=True)
class ParsedHall:
    seats: tuple[SeatDef, ...]
    lines: int


def _header_key(value: Any) -> str | None:
    text = fold(str(value)) if value is not None else ""
    for key, label in HEADERS.items():
        if text == fold(label) or (key == "aisles" and text.startswith("loi di")) or \
                (key == "blocked" and text.startswith("ghe khong")) or (key == "reserved" and text.startswith("ghe danh")):
            return key
    return None


def _locate_header(sheet) -> tuple[int, dict[int, str]]:
    for number, values in enumerate(islice(sheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS), start=1):
        columns = {i: key for i, value in enumerate(values) if (key := _header_key(value))}
        if all(k in columns.values() for k in REQUIRED):
            return number, columns
    raise HallSheetError("Không tìm thấy dòng tiêu đề có các cột 'Khu', 'Hàng', 'Số ghế' trong "
                         f"{HEADER_SEARCH_ROWS} dòng đầu: hãy dùng tệp mẫu")


def _refuse_merged(sheet, header: int) -> None:
    merged = [str(r) for r in sheet.merged_cells.ranges if r.max_row > header]
    if merged:
        raise HallSheetError(f"Tệp có ô gộp (merge) trong bảng ghế: {', '.join(merged[:10])}. Hãy bỏ gộp ô "
                             "(Merge & Center → Unmerge) và ghi đủ Khu, Hàng, Số ghế trên từng dòng",
                             [{"cells": r, "message": "Ô gộp"} for r in merged])


def _int(value: Any, what: str, low: int, high: int) -> int:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{what} phải là số nguyên từ {low} đến {high} (đang ghi '{text}')")
    return int(text)


def _numbers(value: Any, what: str, seats: int) -> list[int]:
    """'1, 3, 5-7' -> [1, 3, 5, 6, 7], each within 1..seats."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    out: list[int] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        ends = [p.strip() for p in part.split("-")]
        if len(ends) > 2:
            raise ValueError(f"{what}: không hiểu '{part}' (ghi như 1, 3, 5-7)")
        first, last = (_int(e, what, 1, seats) for e in (ends[0], ends[-1]))
        out.extend(range(first, last + 1))
    return out


def _reserved(value: Any, seats: int) -> dict[int, str]:
    """'13-14: Báo chí; 1: Người khuyết tật' -> {13: 'Báo chí', 14: 'Báo chí', 1: 'Người khuyết tật'}."""
    out: dict[int, str] = {}
    for part in filter(None, (p.strip() for p in str(value or "").split(";"))):
        numbers, _, purpose = part.partition(":")
        for n in _numbers(numbers, HEADERS["reserved"], seats):
            out[n] = (purpose.strip() or "Dành riêng")[:120]
    return out


def _section(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    if fold(text) in STAGE_NAMES:
        return STAGE
    if not CODE.match(text):
        raise ValueError(f"Khu '{text}' không hợp lệ: dùng mã ngắn gồm chữ và số (A, B, C1…) hoặc SK cho sân khấu")
    return text.upper()


def _line(cells: dict[str, Any]) -> list[SeatDef]:
    section = _section(cells.get("section"))
    row = str(cells.get("row")).strip() if cells.get("row") is not None else ""
    if isinstance(cells.get("row"), float) and cells["row"].is_integer():
        row = str(int(cells["row"]))
    if not row or len(row) > 6:
        raise ValueError("thiếu Hàng (số hàng, hoặc tên hàng ngắn)")
    seats = _int(cells.get("seats"), HEADERS["seats"], 1, MAX_SEATS_PER_ROW)
    aisles = sorted(set(_numbers(cells.get("aisles"), HEADERS["aisles"], seats - 1 if seats > 1 else 1)))
    blocked = set(_numbers(cells.get("blocked"), HEADERS["blocked"], seats))
    reserved = _reserved(cells.get("reserved"), seats)
    row_name = row_text(section, row)
    return [SeatDef(section, row_name, n, seat_label(section, row, n), sum(1 for a in aisles if a < n),
                    SeatStatus.blocked if n in blocked else SeatStatus.reserved if n in reserved else SeatStatus.open,
                    reserved.get(n) if n not in blocked else None) for n in range(1, seats + 1)]


def _missing_rows(rows_by_section: dict[str, dict[str, int]]) -> list[dict]:
    errors = []
    for section, rows in rows_by_section.items():
        numbers = sorted(int(r) for r in rows if r.isdigit())
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers)) if numbers else []
        if missing:
            where = "sân khấu" if section == STAGE else f"khu {section}"
            shown = ", ".join(map(str, missing[:10])) + ("…" if len(missing) > 10 else "")
            errors.append({"line": None, "message": f"Thiếu hàng {shown} của {where} (có hàng 1 đến "
                                                    f"{numbers[-1]}): thêm các hàng này hoặc đánh số lại"})
    return errors


def parse_hall_workbook(data: bytes) -> ParsedHall:
    """The seats the sheet describes, or ``HallSheetError`` with every line's problem (nothing partial)."""
    try:
        workbook = load_workbook(BytesIO(data), data_only=True)  # not read-only: merged cells must be seen
    except Exception as exc:  # openpyxl raises many kinds for bad input
        raise HallSheetError("Không đọc được tệp: hãy dùng tệp Excel dạng .xlsx") from exc
    sheet = workbook.worksheets[0]
    header, columns = _locate_header(sheet)
    _refuse_merged(sheet, header)
    seats: list[SeatDef] = []
    errors: list[dict] = []
    seen: dict[str, dict[str, int]] = defaultdict(dict)
    lines = 0
    for number, values in enumerate(sheet.iter_rows(min_row=header + 1, values_only=True), start=header + 1):
        cells = {key: values[i] for i, key in columns.items() if i < len(values)}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        lines += 1
        if lines > MAX_LINES:
            errors.append({"line": number, "message": f"Tệp có hơn {MAX_LINES} hàng ghế"})
            break
        try:
            line = _line(cells)
        except ValueError as exc:
            errors.append({"line": number, "message": f"Dòng {number}: {exc}"})
            continue
        section, row = line[0].section, str(cells.get("row")).strip().removesuffix(".0")
        if row in seen[section]:
            errors.append({"line": number, "message": f"Dòng {number}: hàng {row} của khu {section} đã có ở dòng "
                                                      f"{seen[section][row]}"})
            continue
        seen[section][row] = number
        seats.extend(line)
    errors.extend(_missing_rows(seen))
    if errors:
        raise HallSheetError(f"Sơ đồ hội trường có {len(errors)} lỗi: {errors[0]['message']}", errors)
    if not any(s.section != STAGE for s in seats):
        raise HallSheetError("Tệp chưa có hàng ghế nào ngoài sân khấu (cột Khu, Hàng, Số ghế)")
    return ParsedHall(tuple(seats), lines)


EXAMPLE = [("SK", 1, 12, "", "", ""), ("SK", 2, 14, "", "", ""),
           ("A", 1, 14, "7", "", "13-14: Báo chí"), ("A", 2, 14, "7", "1", ""),
           ("B", 1, 16, "8", "", "1-2: Người khuyết tật"), ("B", 2, 16, "8", "", "")]


def hall_template() -> bytes:
    """A sheet to fill in: the headers, a small example hall (stage, two sections) and a "Hướng dẫn" sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So do hoi truong"
    sheet.append(list(HEADERS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDEF", (10, 8, 10, 20, 20, 34), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in EXAMPLE:
        sheet.append(list(line))
    guide = workbook.create_sheet("Hướng dẫn")
    for line in (
        ("Mỗi dòng là một hàng ghế. Khu SK (hoặc 'Sân khấu') là sân khấu; hàng 1 gần sân khấu nhất.",),
        ("Số ghế: ghế đánh số từ 1 đến số này, từ trái sang phải nhìn từ sân khấu xuống.",),
        ("Lối đi sau ghế số: lối đi dọc nằm sau các ghế này, ví dụ 7 hoặc 5, 10.",),
        ("Ghế không sử dụng: ghế hỏng, cột, máy quay: 1, 14 hoặc 3-5.",),
        ("Ghế dành riêng: số ghế và mục đích, ví dụ 13-14: Báo chí; 1: Ban Thẩm tra tư cách.",),
        ("Không gộp ô (merge); hàng của mỗi khu đánh số liên tục 1, 2, 3…; nhãn ghế là Khu-Hàng-Ghế (A-01-07).",),
    ):
        guide.append(list(line))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
