"""The organisers' day in a real browser (Playwright, Debian's Chromium): the issue's "done when".

An organiser imports a roster, sees the preview, confirms; checks people in; prints the credentials report,
then the invitations and the badges of one delegation, and looks at them (text and pages read back); a
delegate then logs in to the delegate app on a phone with the code and PIN printed on her invitation.
Screens are saved as PNG (desktop and 390 px) beside the PDFs' first pages.
"""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pypdfium2
from congress_checkin.domain.roster_import import write_delegate_workbook
from congress_checkin.domain.synthetic import synthetic_delegates
from playwright.sync_api import Browser, Page, expect

from congress_cli.live import LiveSystem
from tests.conftest import ADMIN_PASSWORD, pdf_text
from tests.e2e.test_browser import PHONE, ConsoleErrors, browser, live_system  # noqa: F401 - fixtures

pytestmark = __import__("pytest").mark.e2e
MUONG_LAT = "LĐLĐ huyện Mường Lát"
THUY = "Nguyễn Thị Thủy"


def _roster(tmp_path: Path) -> tuple[Path, list[dict]]:
    rows = synthetic_delegates(40)
    for index in range(4):  # one delegation of four, with her in it
        rows[index] = {**rows[index], "delegation": MUONG_LAT, "kind": "official"}
    rows[0] = {**rows[0], "full_name": THUY, "gender": "female", "sending_unit": "Trường THPT Mường Lát, Đắk Lắk"}
    path = tmp_path / "danh-sach-dai-bieu.xlsx"
    path.write_bytes(write_delegate_workbook(rows))
    return path, rows


def _download(page: Page, testid: str, tmp_path: Path, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    target = tmp_path / name
    info.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-"), name
    pypdfium2.PdfDocument(data)[0].render(scale=1.4).to_pil().save(tmp_path / f"{name}.png")  # looked at by hand
    return data


def _shots(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], f"{name} overflows on a phone: {widths}"
    page.screenshot(path=str(tmp_path / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _invitation_of(text: str, name: str) -> tuple[str, str]:
    """The code and PIN printed on the page of ``name`` (each page is one delegate's invitation)."""
    page = next(p for p in text.split("\f") if name in p)
    code = re.search(r"Mã đại biểu:\s+(\S+)", page)[1]
    pin = re.search(r"Mã PIN:\s+(\d{6})", page)[1]
    return code, pin


def test_organiser_prints_and_a_delegate_logs_in_from_the_invitation(browser: Browser, live_system: LiveSystem,  # noqa: F811
                                                                     tmp_path: Path) -> None:
    base_url = live_system.base_url
    workbook, rows = _roster(tmp_path)
    with httpx.Client(base_url=base_url, timeout=30) as api:
        token = api.post("/api/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()
        api.headers["authorization"] = f"Bearer {token['access_token']}"
        cid = api.post("/api/congresses", json={"name": "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX",
                                                "level": "province", "venue": "Cung Văn hóa tỉnh Thanh Hóa"}).json()["id"]
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(15_000)
    console = ConsoleErrors()
    try:
        page = console.watch(context.new_page(), "organiser")
        page.goto("/#/login")
        page.get_by_test_id("login-username").fill("admin")
        page.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
        page.get_by_test_id("login-submit").click()
        expect(page).to_have_url(re.compile(r"#/congresses$"))

        # Import: the preview first, nothing written, then confirm.
        page.goto(f"/#/c/{cid}/delegates")
        page.get_by_test_id("import-file").set_input_files(workbook)
        page.get_by_test_id("import-submit").click()
        expect(page.get_by_test_id("preview-added")).to_have_text(str(len(rows)))
        expect(page.get_by_test_id("delegate-row")).to_have_count(0)
        page.get_by_test_id("import-confirm").click()
        expect(page.get_by_test_id("delegate-row")).to_have_count(len(rows))

        # Check two of the delegation in at the desk.
        page.goto(f"/#/c/{cid}/desk")
        for person in (rows[0], rows[1]):
            page.get_by_test_id("desk-search").fill(person["code"])
            result = page.get_by_test_id("desk-result").filter(has_text=person["full_name"])
            result.get_by_test_id("checkin-button").click()
            expect(page.get_by_test_id("checkin-flash").get_by_test_id("flash-name")).to_have_text(person["full_name"])
        expect(page.get_by_test_id("present")).to_have_text("2")

        # The credentials report, live then printed.
        page.goto(f"/#/c/{cid}/credentials")
        expect(page.get_by_test_id("report-present")).to_have_text("2")
        summoned = sum(r["kind"] == "official" for r in rows)
        expect(page.get_by_test_id("report-summoned")).to_have_text(str(summoned))
        expect(page.get_by_test_id("absentee")).to_have_count(summoned - 2)
        _shots(page, tmp_path, "credentials")
        report = pdf_text(_download(page, "report-pdf", tmp_path, "bao-cao.pdf"))
        assert "BÁO CÁO THẨM TRA TƯ CÁCH ĐẠI BIỂU" in report and f"(2/{summoned})" in report
        assert "Trường THPT Mường Lát, Đắk Lắk" in " ".join(report.split())

        # Invitations and badges of one delegation.
        page.goto(f"/#/c/{cid}/print")
        members = [r for r in rows if r["delegation"] == MUONG_LAT]
        page.get_by_test_id("print-scope").select_option(label=f"{MUONG_LAT} ({len(members)})")
        # the console is open on 127.0.0.1: the address printed on invitations would not open on a phone
        expect(page.get_by_test_id("print-loopback-warning")).to_contain_text("điện thoại")
        invitations = _download(page, "print-invitations", tmp_path, "giay-trieu-tap.pdf")
        assert len(pypdfium2.PdfDocument(invitations)) == len(members)
        text = pdf_text(invitations)
        assert THUY in text and f"/app/?c={cid}" in "".join(text.split())
        assert text.count("GIẤY TRIỆU TẬP") + text.count("GIẤY MỜI") == len(members)
        code, pin = _invitation_of(text, THUY)
        badges = _download(page, "print-badges", tmp_path, "the-dai-bieu.pdf")
        assert len(pypdfium2.PdfDocument(badges)) == 1 and THUY in pdf_text(badges)
        expect(page.get_by_test_id("badges-printed-total")).to_contain_text(f"{len(members)}/{len(rows)}")
        _shots(page, tmp_path, "print")
        assert console.errors == [], "\n".join(console.errors)
    finally:
        context.close()

    # She logs in to the delegate app on her phone with what her invitation says.
    phone = browser.new_context(base_url=base_url, locale="vi-VN", viewport=PHONE)
    phone.set_default_timeout(15_000)
    try:
        app = console.watch(phone.new_page(), "delegate")
        app.goto(f"/app/?c={cid}")
        app.get_by_test_id("login-code").fill(code)
        app.get_by_test_id("login-pin").fill(pin)
        app.get_by_test_id("login-submit").click()
        expect(app.locator(".hello")).to_have_text(f"Xin chào {THUY}")
        app.screenshot(path=str(tmp_path / "delegate-app-390.png"), full_page=True)
        assert console.errors == [], "\n".join(console.errors)
    finally:
        phone.close()
