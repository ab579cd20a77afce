"""Reading and writing the organisers' delegate list (.xlsx)."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from congress_checkin.domain.roster_import import (
    EXAMPLE_ROW,
    ImportFileError,
    RowError,
    delegate_template,
    parse_delegate_workbook,
    write_delegate_workbook,
)
from congress_checkin.domain.synthetic import KEYS, synthetic_delegates
from congress_common.contracts.checkin import CongressRole, DelegateKind
from congress_common.text import fold
from openpyxl import Workbook, load_workbook

HEADER = ["STT", "Mã đại biểu", "Họ và tên", "Đoàn đại biểu", "Loại đại biểu", "Giới tính", "Năm sinh",
          "Đảng viên", "Vai trò tại đại hội", "Email", "Điện thoại"]
DELEGATION = "LĐLĐ huyện Lang Chánh"


def xlsx(*rows: list[object]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(code: object = None, name: object = "Nguyễn Văn An", delegation: object = DELEGATION,
        kind: object = "Chính thức", gender: object = None, birth: object = None, party: object = None,
        roles: object = None, email: object = None, phone: object = None) -> list[object]:
    return [None, code, name, delegation, kind, gender, birth, party, roles, email, phone]


def parse(data: bytes, **kwargs) -> tuple[list, list[RowError]]:
    parsed = parse_delegate_workbook(data, **kwargs)
    return parsed.rows, parsed.errors


def errors_at(errors: list[RowError], number: int) -> list[tuple[str | None, str]]:
    return [(e.column, e.message) for e in errors if e.row == number]


# --- template and round trip ---

def test_template_example_row_is_never_read() -> None:
    """Regression: importing the template unchanged replaced delegate DB001 with its sample person."""
    parsed = parse_delegate_workbook(delegate_template())
    assert (parsed.rows, parsed.errors, parsed.skipped_examples) == ([], [], [2])
    assert EXAMPLE_ROW["code"] != "DB001"  # not even the first generated code


def test_template_example_row_reads_once_its_marker_is_replaced() -> None:
    book = load_workbook(BytesIO(delegate_template()))
    book.worksheets[0]["A2"] = 1
    out = BytesIO()
    book.save(out)
    rows, errors = parse(out.getvalue())
    assert errors == []
    example = rows[0]
    assert example.row_number == 2
    assert example.full_name == EXAMPLE_ROW["full_name"]
    assert example.kind is DelegateKind.official
    assert example.roles == (CongressRole.presidium,)


def test_template_has_bold_headers_dropdowns_and_guide() -> None:
    workbook = load_workbook(BytesIO(delegate_template()))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["STT", "Mã đại biểu", "Họ và tên", "Đoàn đại biểu", "Loại đại biểu"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["C"].width >= 20
    formulas = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "Chính thức" in formulas["E"] and "Khách mời" in formulas["E"]
    assert "Nữ" in formulas["F"]
    guide = workbook["Hướng dẫn"]
    assert any(c.value == "Loại đại biểu" for c in guide["A"])


def test_300_synthetic_delegates_round_trip() -> None:
    delegates = synthetic_delegates(300)
    rows, errors = parse(write_delegate_workbook(delegates))
    assert errors == []
    assert len(rows) == 300
    for parsed, original in zip(rows, delegates, strict=True):
        for key in KEYS:
            expected = tuple(original[key]) if key == "roles" else original[key]
            assert getattr(parsed, key) == expected, (parsed.row_number, key)
    assert [r.row_number for r in rows] == list(range(2, 302))


def test_synthetic_delegates_are_deterministic_and_plausible() -> None:
    first = synthetic_delegates(300, seed=7)
    assert first == synthetic_delegates(300, seed=7)
    assert first != synthetic_delegates(300, seed=8)
    assert len({d["code"] for d in first}) == 300 and first[0]["code"] == "DB001"
    officials = sum(d["kind"] is DelegateKind.official for d in first)
    assert 0.85 <= officials / 300 <= 0.95
    assert any(d["kind"] is DelegateKind.alternate for d in first)
    assert any(d["kind"] is DelegateKind.guest for d in first)
    assert {r for d in first for r in d["roles"]} == set(CongressRole)
    assert {d["ethnicity"] for d in first} > {"Kinh", "Thái", "Mường"}
    assert len({(fold(d["full_name"]), d["delegation"], d["birth_year"]) for d in first}) == 300
    assert synthetic_delegates(5, congress_level="district")[0]["delegation"].startswith("CĐCS")
    with pytest.raises(ValueError):
        synthetic_delegates(5, congress_level="planet")


# --- header detection ---

def test_header_found_below_title_row_with_synonyms() -> None:
    data = xlsx(["DANH SÁCH ĐẠI BIỂU"], ["Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX"], [],
                ["TT", "Mã ĐB", "Họ tên", "Đơn vị bầu", "Loại", "Năm sinh (dd/mm/yyyy)", "Ghi chú"],
                [1, "DB001", "trần văn an", "Công đoàn ngành Y tế", "chinh thuc", "15/08/1975", "bất kỳ"])
    rows, errors = parse(data)
    assert errors == []
    assert rows[0].row_number == 5
    assert (rows[0].code, rows[0].full_name, rows[0].birth_year) == ("DB001", "Trần Văn An", 1975)


def test_written_title_row_is_skipped() -> None:
    data = write_delegate_workbook([EXAMPLE_ROW], title="DANH SÁCH ĐẠI BIỂU")
    rows, errors = parse(data)
    assert errors == [] and rows[0].row_number == 3


def test_not_an_xlsx_raises_import_file_error() -> None:
    for data in (b"", b"STT,Ho va ten\n1,An\n", b"PK\x03\x04garbage"):
        with pytest.raises(ImportFileError):
            parse_delegate_workbook(data)


def test_missing_header_or_required_column_raises() -> None:
    with pytest.raises(ImportFileError, match="tiêu đề"):
        parse_delegate_workbook(xlsx(["a", "b"], [1, 2]))
    with pytest.raises(ImportFileError, match="Loại đại biểu"):
        parse_delegate_workbook(xlsx(["Họ và tên", "Đoàn đại biểu"], ["Nguyễn Văn An", DELEGATION]))


# --- values ---

def test_blank_rows_are_skipped_and_row_numbers_kept() -> None:
    rows, errors = parse(xlsx(HEADER, row(), [], [7], row(name="Lê Thị Ánh")))
    assert errors == []
    assert [r.row_number for r in rows] == [2, 5]


def test_cell_values_are_read_leniently() -> None:
    data = xlsx(HEADER,
                row("DB1", "NGUYỄN THỊ THỦY", "  LĐLĐ  huyện Lang Chánh ", "CHÍNH THỨC", "Nữ", 1975, "x",
                    "Đoàn Chủ tịch; Ban bầu cử", "thuy@example.vn", 912345678),
                row(2, "Lê Văn Hùng", kind="Đại biểu dự khuyết", gender="nam", birth="1980", party="Không",
                    roles="Ban Thẩm tra"),
                row(None, "Phạm Đức Đạt", kind="khach moi", birth=datetime(1970, 3, 1), party="Đảng viên",
                    roles="Ban Thẩm tra tư cách đại biểu, Đoàn Thư ký"),
                row(None, "Hà Thị Giang", birth="1969-12-31", party="Có"),
                row(None, "Mai Văn Sơn", birth=1971.0, party=None))
    rows, errors = parse(data)
    assert errors == []
    first, second, third, fourth, fifth = rows
    assert (first.full_name, first.delegation, first.kind) == ("Nguyễn Thị Thủy", DELEGATION, DelegateKind.official)
    assert (first.gender, first.party_member, first.phone) == ("female", True, "0912345678")
    assert first.roles == (CongressRole.presidium, CongressRole.election_board)
    assert (second.code, second.kind, second.gender, second.birth_year) == ("2", DelegateKind.alternate, "male", 1980)
    assert second.party_member is False and second.roles == (CongressRole.credentials,)
    assert (third.kind, third.birth_year, third.party_member) == (DelegateKind.guest, 1970, True)
    assert third.roles == (CongressRole.secretariat, CongressRole.credentials)
    assert (fourth.birth_year, fifth.birth_year, fifth.party_member) == (1969, 1971, None)


# --- errors ---

def test_each_kind_of_row_error_has_row_and_column() -> None:
    given = iter(["Bình", "Chi", "Dung", "Giang", "Hà", "Hải", "Khánh", "Lan", "Linh", "Mai", "Nga"])
    data = xlsx(HEADER,
                row("DB001"),                                            # 2: valid
                row(name=None),                                          # 3
                row(name=f"Lê Văn {next(given)}", delegation="  "),      # 4
                row(name=f"Lê Văn {next(given)}", kind=None),            # 5
                row(name=f"Lê Văn {next(given)}", kind="abc"),           # 6
                row(name=f"Lê Văn {next(given)}", gender="khác"),        # 7
                row(name=f"Lê Văn {next(given)}", birth=1920),           # 8
                row(name=f"Lê Văn {next(given)}", birth="năm ngoái"),    # 9
                row(name=f"Lê Văn {next(given)}", birth="31/02/1975"),   # 10
                row(name=f"Lê Văn {next(given)}", party="có lẽ"),        # 11
                row(name=f"Lê Văn {next(given)}", roles="Đoàn Chủ tịch, Ban Tuyên giáo"),  # 12
                row(name=f"Lê Văn {next(given)}", email="an@"),          # 13
                row("db001", "Trần Văn Bình"),                           # 14: duplicate code
                row(name="NGUYỄN VĂN AN"),                               # 15: same name: a plan warning
                row(name="Lê Văn Hùng", birth=1980),                     # 16: valid
                row(name="Lê  Văn Hùng", birth=1980),                    # 17: same person: a plan warning
                row(name="Lê Văn " + "Hùng" * 120),                      # 18: name too long
                row(name=f"Lê Văn {next(given)}", delegation="Đoàn " * 70))  # 19: delegation too long
    rows, errors = parse(data)
    assert [r.row_number for r in rows] == [2, 15, 16, 17]
    expected = {
        3: ("Họ và tên", "Thiếu họ và tên"),
        4: ("Đoàn đại biểu", "Thiếu đoàn đại biểu"),
        5: ("Loại đại biểu", "Thiếu loại đại biểu"),
        6: ("Loại đại biểu", "Loại đại biểu không hợp lệ: 'abc' (dùng Chính thức, Dự khuyết hoặc Khách mời)"),
        7: ("Giới tính", "Giới tính không hợp lệ: 'khác' (dùng Nam hoặc Nữ)"),
        8: ("Năm sinh", "Năm sinh 1920 ngoài khoảng 1930–2010"),
        9: ("Năm sinh", "Năm sinh không hợp lệ: 'năm ngoái'"),
        10: ("Năm sinh", "Năm sinh không hợp lệ: '31/02/1975'"),
        11: ("Đảng viên", "Đảng viên không hợp lệ: 'có lẽ'"),
        12: ("Vai trò tại đại hội", "Vai trò không hợp lệ: 'Ban Tuyên giáo'"),
        13: ("Email", "Email không hợp lệ: 'an@'"),
        14: ("Mã đại biểu", "Mã đại biểu 'db001' trùng với dòng 2"),
        18: ("Họ và tên", "Họ và tên dài quá 200 ký tự (có 487 ký tự)"),
        19: ("Đoàn đại biểu", "Đoàn đại biểu dài quá 300 ký tự (có 349 ký tự)"),
    }
    for number, (column, message) in expected.items():
        found = errors_at(errors, number)
        assert len(found) == 1, (number, found)
        assert found[0][0] == column
        assert found[0][1].startswith(message), found[0][1]
    assert {e.row for e in errors} == set(expected)


def test_all_errors_of_a_row_are_reported() -> None:
    rows, errors = parse(xlsx(HEADER, row(name=None, kind="x", gender="?", email="no")))
    assert rows == []
    assert {e.column for e in errors} == {"Họ và tên", "Loại đại biểu", "Giới tính", "Email"}
    assert {e.row for e in errors} == {2}


def test_blank_rows_count_toward_the_row_limit() -> None:
    """Regression: blank rows did not count, so a sheet of a million empty rows was read to the end."""
    data = xlsx(HEADER, row(), *[[None] for _ in range(8)], row(name="Lê Thị Ánh"))
    rows, errors = parse(data, max_rows=5)
    assert [e.row for e in errors] == [7] and "dòng trống" in errors[0].message
    assert [r.row_number for r in rows] == [2]


def test_too_many_rows() -> None:
    data = xlsx(HEADER, *[row(birth=1960 + i) for i in range(8)])
    rows, errors = parse(data, max_rows=5)
    assert len(rows) == 5
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (7, None)
    assert "5" in errors[0].message
