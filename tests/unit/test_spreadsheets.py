"""The bounded look inside an uploaded archive, the worker's limits, and formula-safe cells."""
from __future__ import annotations

import io
import struct
import zipfile

import pytest
from congress_checkin.adapters.workbook_worker import WorkbookLimits, WorkbookParser
from congress_checkin.domain.roster_import import ImportFileError, write_delegate_workbook
from congress_checkin.domain.synthetic import synthetic_delegates
from congress_common.spreadsheets import UnsafeArchive, check_xlsx_archive, safe_text, unneutralise

MB = 1024 * 1024


def _zip(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"A" * size)
    return out.getvalue()


def _lie_about_sizes(data: bytes, declared: int) -> bytes:
    """Patch the uncompressed size in the local header and the central directory."""
    data = bytearray(data)
    local = data.index(b"PK\x03\x04")
    data[local + 22:local + 26] = struct.pack("<I", declared)
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", declared)
    return bytes(data)


def test_declared_sizes_over_the_budget_are_refused_without_inflating() -> None:
    with pytest.raises(UnsafeArchive, match="giải nén ra quá lớn"):
        check_xlsx_archive(_zip(3 * MB), max_uncompressed=2 * MB, inflate=False)


def test_an_archive_that_lies_about_its_sizes_is_refused_when_inflated() -> None:
    lying = _lie_about_sizes(_zip(3 * MB), 100)
    check_xlsx_archive(lying, max_uncompressed=2 * MB, inflate=False)  # the declared sizes pass...
    with pytest.raises(UnsafeArchive):
        check_xlsx_archive(lying, max_uncompressed=2 * MB)  # ...what it really holds does not


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(UnsafeArchive, match="Không đọc được"):
        check_xlsx_archive(b"not a zip", max_uncompressed=MB)


def test_formula_characters_are_neutralised_and_come_back() -> None:
    for text in ("=1+1", "+84912345678", "-3", "@SUM(A1)", "\t=1"):
        assert safe_text(text) == "'" + text
    assert safe_text("Nguyễn Thị Thủy") == "Nguyễn Thị Thủy" and safe_text(1975) == "1975" and safe_text(None) is None
    assert unneutralise("'=1+1") == "=1+1" and unneutralise("'bình thường") == "'bình thường"


async def test_the_worker_parses_and_its_time_limit_answers_with_a_message() -> None:
    data = write_delegate_workbook(synthetic_delegates(600))
    parsed = await WorkbookParser(WorkbookLimits()).parse(data)
    assert len(parsed.rows) == 600 and parsed.errors == []
    with pytest.raises(ImportFileError, match=r"quá 0\.01 giây"):
        await WorkbookParser(WorkbookLimits(timeout_s=0.01)).parse(data)
    assert len((await WorkbookParser(WorkbookLimits()).parse(data)).rows) == 600  # the pool recovers
