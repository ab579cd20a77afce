"""Spreadsheets from outside and to outside: a bounded look inside an upload, formula-safe cells out.

An .xlsx is a zip archive of XML parts. ``check_xlsx_archive`` refuses an
archive whose parts expand beyond a budget *before* any XML parser sees it:
first the sizes the archive declares, then the sizes it really inflates to
(read in chunks, stopping at the budget), because the declared sizes can lie.

``safe_text`` turns any value into the text of an exported cell and
neutralises a leading ``=``, ``+``, ``-``, ``@`` (and tab / carriage return)
with a leading apostrophe, as OWASP recommends against CSV/formula injection:
a delegation called ``=HYPERLINK(...)`` stays text in Excel and LibreOffice.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from io import BytesIO
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 64 * 1024


class UnsafeArchive(ValueError):
    """The upload is not a zip archive, or it expands beyond the budget (message in Vietnamese)."""


def check_xlsx_archive(data: bytes, *, max_uncompressed: int, max_members: int = 500, inflate: bool = True) -> None:
    """Raise ``UnsafeArchive`` unless ``data`` is a zip whose parts expand to at most ``max_uncompressed`` bytes.

    ``inflate=False`` only reads the central directory (cheap enough for the
    event loop); the full check inflates every part, stopping at the budget.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeArchive("Không đọc được tệp: hãy dùng tệp Excel dạng .xlsx") from None
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise UnsafeArchive(f"Tệp Excel có quá nhiều thành phần ({len(members)})")
        declared = sum(m.file_size for m in members)
        if declared > max_uncompressed:
            raise UnsafeArchive(_too_big(max_uncompressed, declared))
        if inflate:
            _inflate_within(archive, members, max_uncompressed)


def _inflate_within(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], budget: int) -> None:
    total = 0
    for member in members:
        try:
            with archive.open(member) as part:
                while chunk := part.read(_CHUNK):
                    total += len(chunk)
                    if total > budget:
                        raise UnsafeArchive(_too_big(budget, None))
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise UnsafeArchive("Tệp Excel bị hỏng hoặc được mã hóa, không đọc được") from exc


def _too_big(budget: int, size: int | None) -> str:
    found = f"{size // (1024 * 1024)} MB, " if size else ""
    return (f"Tệp Excel giải nén ra quá lớn ({found}tối đa {budget // (1024 * 1024)} MB dữ liệu); "
            "hãy xóa các trang, hình ảnh, dòng thừa hoặc chia nhỏ tệp")


# the control characters an .xlsx cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): dropped on export
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010\013\014\016-\037]")


def safe_text(value: Any) -> str | None:
    """The text of an exported cell, a leading formula character neutralised; ``None`` stays empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "Có" if value else "Không"
    elif isinstance(value, datetime):
        text = value.strftime("%d/%m/%Y %H:%M:%S")
    elif isinstance(value, date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters Excel refuses (openpyxl would raise)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """Undo ``safe_text``'s apostrophe when a file we exported comes back as an import."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text
