"""The shared PDF module: DejaVu Sans renders Vietnamese, a clear error without fonts, rendering off the loop."""
from __future__ import annotations

import asyncio
import unicodedata
from pathlib import Path

import pytest
from congress_common.pdf import Document, Fonts, FontsMissing, ProcessPoolRenderer, ThreadRenderer, notice_page
from congress_common.settings import DEFAULT_FONT_DIR

from tests.conftest import pdf_text, skip_unless_ci

SAMPLES = ["Nguyễn Thị Thủy", "Đắk Lắk", "LĐLĐ huyện Mường Lát", "Trương Ưng Ơn Ắt Ậy Ỷ"]


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    try:
        return Fonts.locate(DEFAULT_FONT_DIR)
    except FontsMissing as exc:
        skip_unless_ci(str(exc))


def test_vietnamese_text_tables_and_qr_survive_the_round_trip(fonts: Fonts) -> None:
    doc = Document(fonts, title="Thử", footer_text="Đại hội thử")
    doc.add_page()
    doc.heading(SAMPLES[0])
    doc.line_of_text(unicodedata.normalize("NFD", SAMPLES[1]))  # decomposed input is printed precomposed
    doc.data_table(["Đoàn", "Số"], [[SAMPLES[2], 3], [SAMPLES[3], None]], widths=(3, 1), bold_rows=(1,))
    doc.qr("DB001", x=20, y=200, size=30, title="QR")
    text = pdf_text(doc.to_bytes())
    for sample in SAMPLES:
        assert sample in text
    assert "Trang 1/1" in text


def test_missing_fonts_say_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(FontsMissing) as caught:
        Fonts.locate(tmp_path)
    assert caught.value.status_code == 503
    assert "fonts-dejavu-core" in caught.value.message and "CONGRESS_PDF_FONT_DIR" in caught.value.message


async def test_thread_renderer_refuses_before_rendering_without_fonts(tmp_path: Path) -> None:
    with pytest.raises(FontsMissing):
        await ThreadRenderer(tmp_path).render(notice_page, {"title": "x"})


async def test_process_pool_renders_in_a_worker_while_the_loop_keeps_running(fonts: Fonts) -> None:
    renderer = ProcessPoolRenderer(DEFAULT_FONT_DIR)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    try:
        payload = {"title": SAMPLES[0], "lines": [SAMPLES[2]] * 400}
        data = await renderer.render(notice_page, payload)
        during = ticks
    finally:
        task.cancel()
        await renderer.close()
    assert SAMPLES[0] in pdf_text(data) and SAMPLES[2] in pdf_text(data)
    assert during > 5  # the loop went on serving while the worker rendered (and spawned)


def test_the_badge_band_keeps_the_term_of_office_on_one_line(fonts: Fonts) -> None:
    """The band's congress name wraps before "NHIỆM KỲ 2023–2028", never inside it ("NHIỆM | KỲ 2023–2028")."""
    from congress_checkin.printouts.badges import badges

    person = {"kind": "official", "full_name": "Nguyễn Thị Thủy", "delegation": "LĐLĐ huyện Lang Chánh", "roles": [],
              "kind_label": "Chính thức", "code": "DB001", "qr": "DB001", "photo": None}
    for name, term in (("Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX, nhiệm kỳ 2023–2028", "NHIỆM KỲ 2023–2028"),
                       ("Đại hội Công đoàn cơ sở Trường THPT Lê Lợi nhiệm kỳ 2023 - 2028", "NHIỆM KỲ 2023 - 2028")):
        lines = pdf_text(badges(fonts, {"congress": {"name": name}, "people": [person]})).splitlines()
        assert any(line.strip().endswith(term) for line in lines), lines[:3]
    doc = Document(fonts, title="Thử")
    doc.add_page()
    doc.set_font("dejavu", "", 10)
    width = doc.measure("một giữ") + 0.5
    assert doc.wrap("một giữ liền", width) == ["một giữ", "liền"]
    assert doc.wrap("một giữ\u00a0liền", width) == ["một", "giữ liền"]  # no break at a no-break space
