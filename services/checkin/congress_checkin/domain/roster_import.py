"""Read and write the organisers' delegate list (danh sách đại biểu) as .xlsx.

The header row may sit below a title within the first 10 rows; headers are
matched without diacritics and with common synonyms ("Họ tên", "Mã ĐB"...).
Errors are reported per row and column, in Vietnamese, all at once. Text
fields obey the same limits as the form and the API (``limits.py``). The
template's example row is marked "Ví dụ" in the STT column and never read,
so it can never match (and replace) a real delegate. Every exported cell is
text, with a leading formula character neutralised (``safe_text``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from itertools import islice
from typing import Any

from congress_common.contracts.checkin import CongressRole, DelegateKind
from congress_common.labels import labelled
from congress_common.spreadsheets import safe_text, unneutralise
from congress_common.text import fold, normalize_name
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .limits import MAX_BIRTH_YEAR, MIN_BIRTH_YEAR, TEXT_LIMITS

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 3000
EXAMPLE_MARKER = "Ví dụ"
SHEET_TITLE = "Danh sách đại biểu"

KIND_LABELS = labelled(DelegateKind, {DelegateKind.official: "Chính thức", DelegateKind.alternate: "Dự khuyết",
                                      DelegateKind.guest: "Khách mời"})
ROLE_LABELS = labelled(CongressRole, {CongressRole.presidium: "Đoàn Chủ tịch", CongressRole.secretariat: "Đoàn Thư ký",
                                      CongressRole.credentials: "Ban Thẩm tra tư cách đại biểu",
                                      CongressRole.election_board: "Ban bầu cử"})
GENDER_LABELS = {"male": "Nam", "female": "Nữ"}
_ROLE_MARKERS = (("doan chu tich", CongressRole.presidium), ("doan thu ky", CongressRole.secretariat),
                 ("tham tra", CongressRole.credentials), ("bau cu", CongressRole.election_board))
_ROLE_VALUES = {r.value: r for r in CongressRole}
_KINDS = {**{k.value: k for k in DelegateKind}, **{fold(v): k for k, v in KIND_LABELS.items()},
          **{"dai bieu " + fold(v): k for k, v in KIND_LABELS.items()}}
_CHOICES: dict[str, tuple[dict[str, Any], str]] = {
    "kind": (_KINDS, "Chính thức, Dự khuyết hoặc Khách mời"),
    "gender": ({"nam": "male", "male": "male", "m": "male", "nu": "female", "female": "female", "f": "female"},
               "Nam hoặc Nữ"),
    "party_member": ({**dict.fromkeys(("co", "x", "dang vien", "dv", "v", "yes", "true", "1"), True),
                      **dict.fromkeys(("khong", "no", "false", "0", "-"), False)}, "Có hoặc Không"),
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_DMY = re.compile(r"(?:(?:(\d{1,2})[/.-])?(\d{1,2})[/.-])?(\d{4})")  # [[dd/]mm/]yyyy
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")


@dataclass(frozen=True)
class Column:
    """One column of the delegate list: key, Vietnamese header, folded synonyms, help text."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    width: int
    help: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", ("stt", "tt", "so tt", "so thu tu"), 6, "Số thứ tự (không bắt buộc, không được đọc)."),
    Column("code", "Mã đại biểu", ("ma dai bieu", "ma db", "ma"), 13,
           "Mã riêng của đại biểu, không trùng nhau (ví dụ DB001)."),
    Column("full_name", "Họ và tên", ("ho va ten", "ho ten", "ho va ten dai bieu"), 28,
           "Họ và tên đầy đủ, có dấu.", True),
    Column("delegation", "Đoàn đại biểu", ("doan dai bieu", "doan", "don vi bau", "doan db"), 34,
           "Tên đoàn đại biểu (ví dụ LĐLĐ huyện Lang Chánh).", True),
    Column("kind", "Loại đại biểu", ("loai dai bieu", "loai", "loai db"), 15,
           "Chính thức, Dự khuyết hoặc Khách mời.", True),
    Column("gender", "Giới tính", ("gioi tinh",), 10, "Nam hoặc Nữ."),
    Column("birth_year", "Năm sinh", ("nam sinh", "ngay sinh", "ngay thang nam sinh"), 11,
           f"Năm sinh (ví dụ 1975) hoặc ngày sinh dd/mm/yyyy, từ {MIN_BIRTH_YEAR} đến {MAX_BIRTH_YEAR}."),
    Column("ethnicity", "Dân tộc", ("dan toc",), 11, "Ví dụ Kinh, Thái, Mường."),
    Column("party_member", "Đảng viên", ("dang vien",), 11, "Có (hoặc x) nếu là đảng viên; Không hoặc để trống."),
    Column("education", "Trình độ chuyên môn", ("trinh do", "trinh do chuyen mon"), 20, "Ví dụ Đại học, Thạc sĩ."),
    Column("position", "Chức vụ", ("chuc vu",), 30, "Chức vụ hiện tại."),
    Column("sending_unit", "Đơn vị công tác", ("don vi cong tac",), 34, "Cơ quan, đơn vị nơi đại biểu công tác."),
    Column("roles", "Vai trò tại đại hội", ("vai tro", "vai tro tai dai hoi"), 30,
           "Để trống, hoặc một/nhiều vai trò cách nhau bởi dấu phẩy: " + ", ".join(ROLE_LABELS.values()) + "."),
    Column("phone", "Điện thoại", ("dien thoai", "so dien thoai", "sdt"), 14, "Số điện thoại di động."),
    Column("email", "Email", ("email", "e mail", "thu dien tu"), 28, "Địa chỉ thư điện tử."),
)
LABELS = {c.key: c.label for c in COLUMNS}
_SYNONYMS = {s: c.key for c in COLUMNS for s in c.synonyms}
EXAMPLE_ROW: dict[str, object] = {
    "code": "VD001", "full_name": "Nguyễn Thị Thủy", "delegation": "LĐLĐ huyện Lang Chánh",
    "kind": DelegateKind.official, "gender": "female", "birth_year": 1978, "ethnicity": "Thái",
    "party_member": True, "education": "Đại học", "position": "Chủ tịch LĐLĐ huyện Lang Chánh",
    "sending_unit": "Liên đoàn Lao động huyện Lang Chánh", "roles": [CongressRole.presidium],
    "phone": "0912345678", "email": "thuy.nt@example.vn",
}


@dataclass(frozen=True)
class DelegateRow:
    """One valid delegate read from the file."""

    row_number: int
    code: str | None
    full_name: str
    delegation: str
    kind: DelegateKind
    roles: tuple[CongressRole, ...]
    gender: str | None
    birth_year: int | None
    ethnicity: str | None
    party_member: bool | None
    education: str | None
    position: str | None
    sending_unit: str | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class ParsedRoster:
    """What a file holds: valid rows, every error, and the example rows that were skipped."""

    rows: list[DelegateRow]
    errors: list[RowError]
    skipped_examples: list[int]


@dataclass(frozen=True)
class RowError:
    """A problem in one row (and column, when it concerns one cell); message in Vietnamese."""

    row: int
    column: str | None
    message: str


class ImportFileError(ValueError):
    """The file is not a readable .xlsx, or has no recognisable header row."""


# --- cell parsers: value -> parsed value, or ValueError(Vietnamese message) ---

def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%d/%m/%Y")
    text = " ".join(unicodedata.normalize("NFC", unneutralise(str(value))).split())
    return text or None


def _limited(key: str, text: str | None) -> str | None:
    return TEXT_LIMITS[key].check(text) if text is not None else None


def _required(value: Any, label: str) -> str:
    text = _text(value)
    if text is None:
        raise ValueError(f"Thiếu {label[0].lower()}{label[1:]}")
    return text


def _choice(value: Any, key: str, required: bool = False) -> Any:
    """Map a cell to one of the allowed values of column ``key``, matched without diacritics."""
    text = _required(value, LABELS[key]) if required else _text(value)
    choices, allowed = _CHOICES[key]
    if text is not None and fold(text) not in choices:
        raise ValueError(f"{LABELS[key]} không hợp lệ: '{text}' (dùng {allowed})")
    return choices[fold(text)] if text is not None else None


def _parse_name(value: Any) -> str:
    name = _limited("full_name", normalize_name(_required(value, LABELS["full_name"])))
    if any(ch.isdigit() for ch in name):
        raise ValueError(f"Họ và tên không hợp lệ: '{name}'")
    return name


def _year_of(value: Any) -> int | None:
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = _text(value) or ""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DMY.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month or 1), int(day or 1)).year
    except ValueError:
        return None


def _parse_birth_year(value: Any) -> int | None:
    if _text(value) is None:
        return None
    year = _year_of(value)
    if year is None:
        raise ValueError(f"Năm sinh không hợp lệ: '{_text(value)}' (ví dụ 1975 hoặc 15/08/1975)")
    if not MIN_BIRTH_YEAR <= year <= MAX_BIRTH_YEAR:
        raise ValueError(f"Năm sinh {year} ngoài khoảng {MIN_BIRTH_YEAR}–{MAX_BIRTH_YEAR}")
    return year


def _parse_roles(value: Any) -> tuple[CongressRole, ...]:
    found: set[CongressRole] = set()
    for part in re.split(r"[,;\n]+", _text(value) or ""):
        key = fold(part)
        role = next((r for marker, r in _ROLE_MARKERS if marker in key), _ROLE_VALUES.get(key))
        if key and role is None:
            raise ValueError(f"Vai trò không hợp lệ: '{part.strip()}' (dùng {', '.join(ROLE_LABELS.values())})")
        found |= {role} if role else set()
    return tuple(r for r in CongressRole if r in found)


def _parse_phone(value: Any) -> str | None:
    text = _text(value)
    return _limited("phone", "0" + text if text and isinstance(value, int | float) and len(text) == 9 else text)


def _parse_email(value: Any) -> str | None:
    text = _limited("email", _text(value))
    if text and not _EMAIL.fullmatch(text):
        raise ValueError(f"Email không hợp lệ: '{text}'")
    return text


def _limited_text(key: str) -> Callable[[Any], str | None]:
    return lambda value: _limited(key, _text(value))


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "code": _limited_text("code"), "full_name": _parse_name,
    "delegation": lambda v: _limited("delegation", _required(v, LABELS["delegation"])),
    "kind": lambda v: _choice(v, "kind", required=True), "roles": _parse_roles,
    "gender": lambda v: _choice(v, "gender"), "birth_year": _parse_birth_year, "ethnicity": _limited_text("ethnicity"),
    "party_member": lambda v: _choice(v, "party_member"), "education": _limited_text("education"),
    "position": _limited_text("position"), "sending_unit": _limited_text("sending_unit"),
    "phone": _parse_phone, "email": _parse_email,
}


# --- reading ---

class _RosterParser:
    """Parses data rows one by one, remembering codes to catch duplicates.

    Two rows with the same name in the same delegation are not an error here:
    the import plan warns about them and asks (``import_plan.py``).
    """

    def __init__(self) -> None:
        self.rows: list[DelegateRow] = []
        self.errors: list[RowError] = []
        self._codes: dict[str, int] = {}

    def add(self, number: int, cells: Mapping[str, Any]) -> None:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for key, parse in _PARSERS.items():
            try:
                values[key] = parse(cells.get(key))
            except ValueError as exc:
                errors.append(RowError(number, LABELS[key], str(exc)))
        errors += self._duplicate_code(number, values)
        self.errors += errors
        if not errors:
            self.rows.append(DelegateRow(row_number=number, **values))

    def _duplicate_code(self, number: int, values: Mapping[str, Any]) -> list[RowError]:
        if not values.get("code"):
            return []
        first = self._codes.setdefault(fold(values["code"]), number)
        if first == number:
            return []
        return [RowError(number, LABELS["code"], f"Mã đại biểu '{values['code']}' trùng với dòng {first}")]


def _header_key(value: Any) -> str | None:
    text = re.sub(r"\(.*?\)|[^a-z0-9 ]", " ", fold(str(value))) if value is not None else ""
    return _SYNONYMS.get(" ".join(text.split()))


def _match_header(values: tuple[Any, ...]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, value in enumerate(values):
        key = _header_key(value)
        if key and key not in columns.values():
            columns[index] = key
    return columns if "full_name" in columns.values() and len(columns) >= 2 else {}


def _locate_header(workbook: Any) -> tuple[Iterator[tuple[int, tuple[Any, ...]]], dict[int, str]]:
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # do not trust the size the file declares
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        for _, values in islice(rows, HEADER_SEARCH_ROWS):
            columns = _match_header(values)
            if columns:
                missing = [c.label for c in COLUMNS if c.required and c.key not in columns.values()]
                if missing:
                    raise ImportFileError("Thiếu cột bắt buộc: " + ", ".join(missing))
                return rows, columns
    raise ImportFileError(f"Không tìm thấy dòng tiêu đề (có cột 'Họ và tên') trong {HEADER_SEARCH_ROWS} dòng đầu")


def parse_delegate_workbook(data: bytes, *, max_rows: int = MAX_ROWS) -> ParsedRoster:
    """Parse the delegate list: the valid rows, every error found, and the skipped example rows.

    Rows with errors are left out of ``rows``. Rows whose recognised cells
    (other than STT) are all blank are skipped, but every row below the header,
    blank or not, counts toward ``max_rows``: reading stops there, with an error.
    Call it on an archive ``check_xlsx_archive`` has passed, off the event loop.
    """
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for bad input
        raise ImportFileError("Không đọc được tệp: hãy dùng tệp Excel dạng .xlsx") from exc
    parser, examples = _RosterParser(), []
    try:
        rows, columns = _locate_header(workbook)
        for count, (number, values) in enumerate(rows, start=1):
            if count > max_rows:
                message = f"Tệp có hơn {max_rows} dòng (kể cả dòng trống); hãy xóa các dòng thừa hoặc chia nhỏ tệp"
                parser.errors.append(RowError(number, None, message))
                break
            cells = {key: values[i] for i, key in columns.items() if i < len(values)}
            if fold(_text(cells.pop("stt", None)) or "") == fold(EXAMPLE_MARKER):
                examples.append(number)
            elif any(_text(v) is not None for v in cells.values()):
                parser.add(number, cells)
    finally:
        workbook.close()
    return ParsedRoster(parser.rows, parser.errors, examples)


# --- writing ---

def _cell_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "kind":
        return KIND_LABELS[DelegateKind(value)]
    if key == "roles":
        return ", ".join(ROLE_LABELS[CongressRole(r)] for r in value) or None
    if key == "gender":
        return GENDER_LABELS.get(value, value)
    if key == "party_member":
        return "Có" if value else "Không"
    return value


def append_text_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row whose every cell is text, a leading formula character neutralised (every export uses this)."""
    sheet.append([safe_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.value is not None:
            cell.data_type = "s"


def append_header_row(sheet: Worksheet, columns: Iterable[tuple[str, int]]) -> int:
    """Append the bold, shaded header row of an exported list (label, column width); panes frozen below it."""
    columns = list(columns)
    append_text_row(sheet, [label for label, _width in columns])
    header = sheet.max_row
    for index, (_label, width) in enumerate(columns, start=1):
        cell = sheet.cell(header, index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header + 1}"
    return header


def save_workbook(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _build(rows: Iterable[Mapping[str, object]], title: str | None,
           stt: Callable[[int], object] = lambda n: n) -> tuple[Workbook, Worksheet, int]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    if title:
        append_text_row(sheet, [title])
        sheet["A1"].font = Font(bold=True, size=14)
    header = append_header_row(sheet, [(c.label, c.width) for c in COLUMNS])
    for number, row in enumerate(rows, start=1):
        append_text_row(sheet, [stt(number)] + [_cell_value(c.key, row.get(c.key)) for c in COLUMNS[1:]])
    return workbook, sheet, header


def write_delegate_workbook(rows: Iterable[Mapping[str, object]], *, title: str | None = None) -> bytes:
    """Write delegates (dicts keyed like ``EXAMPLE_ROW``) as .xlsx that ``parse_delegate_workbook`` reads back."""
    return save_workbook(_build(rows, title)[0])


def _add_choice(sheet: Worksheet, key: str, choices: Iterable[str], first_row: int) -> None:
    """Add a dropdown of ``choices`` to column ``key`` for the first 3000 data rows."""
    choices = list(choices)
    letter = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key))
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=LABELS[key],
                                error=f"Chọn một giá trị trong danh sách: {', '.join(choices)}")
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{first_row}:{letter}{first_row + 2999}")


def delegate_template() -> bytes:
    """A blank delegate list to download: headers, dropdowns, one example row and a "Hướng dẫn" sheet.

    The example row says "Ví dụ" in its STT cell: the import never reads it.
    """
    workbook, sheet, header = _build([EXAMPLE_ROW], None, stt=lambda _n: EXAMPLE_MARKER)
    for cell in sheet[header + 1]:
        cell.font = Font(italic=True, color="808080")
    _add_choice(sheet, "kind", KIND_LABELS.values(), header + 1)
    _add_choice(sheet, "gender", GENDER_LABELS.values(), header + 1)
    _add_choice(sheet, "party_member", ("Có", "Không"), header + 1)
    guide = workbook.create_sheet("Hướng dẫn")
    append_text_row(guide, ["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        limit = TEXT_LIMITS.get(column.key)
        help_text = column.help + (f" Tối đa {limit.max_length} ký tự." if limit else "")
        append_text_row(guide, [column.label, "Có" if column.required else "", help_text])
    guide.append([])
    append_text_row(guide, ["Ghi chú", "", "Dòng tiêu đề có thể nằm dưới dòng tên danh sách (trong 10 dòng đầu). "
                            f"Dòng có chữ '{EXAMPLE_MARKER}' ở cột STT là dòng ví dụ và không bao giờ được nhập; "
                            f"ghi đại biểu từ dòng tiếp theo. Tối đa {MAX_ROWS} dòng, kể cả dòng trống."])
    for letter, width in zip("ABC", (24, 10, 90), strict=True):
        guide.column_dimensions[letter].width = width
    return save_workbook(workbook)
