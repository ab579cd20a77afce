"""The organisers' FaceID screens in a real browser, against ``congress up`` with the real face engine.

In the console (#/c/{cid}/faces) an organiser records a delegate's consent, uploads three photos of her
face (two accepted, a blurred one refused with its Vietnamese reason) and sees her enrolled; imports a ZIP
named by delegate codes and reads its report (accepted, refused for want of consent, unknown code). At the
enrolment station (#/c/{cid}/faces/station) a delegate found without diacritics is enrolled from Chromium's
fake camera after ticking her consent; she looks like the ZIP's delegate (the same public-domain face), so
the console lists the pair as look-alikes. Then the purge, behind its typed confirmation. The faces are the
public-domain ones shipped inside PyPI packages (scikit-image's astronaut, matplotlib's Grace Hopper), so
this runs anywhere; both screens are looked at at 1280 px and at a tablet's 768 px.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import cv2
import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from congress_cli.live import running_system
from tests.e2e.conftest import camera_browser, chromium_path, system_env
from tests.e2e.test_browser import ConsoleErrors, admin_headers, sign_in
from tests.e2e.test_kiosk_browser import frame, write_y4m
from tests.face_photos import astronaut_rgb, grace_hopper_rgb, jpeg, shifted

pytestmark = pytest.mark.e2e
PEOPLE = [("Nguyễn Thị Thủy", "LĐLĐ huyện Lang Chánh"), ("Trần Văn Hùng", "Công đoàn ngành Giáo dục"),
          ("Lê Văn Nam", "CĐ Khu Kinh tế Nghi Sơn"), ("Phạm Thị Hoa", "LĐLĐ huyện Lang Chánh")]
SHOTS = Path(os.environ.get("FACE_SCREENSHOTS", "")) if os.environ.get("FACE_SCREENSHOTS") else None


def photo_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def image(name: str, data: bytes, mime: str = "image/jpeg") -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def look(page: Page, name: str, tmp_path: Path) -> None:
    """Screenshot at 1280 px and at a tablet's 768 px; nothing may stick out sideways at either width."""
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 1000})
        page.screenshot(path=str((SHOTS or tmp_path) / f"{name}-{width}.png"), full_page=True)
        widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["scroll"] <= widths["inner"], (name, width, widths)
    page.set_viewport_size({"width": 1280, "height": 1000})


def row(page: Page, full_name: str):
    return page.get_by_test_id("face-row").filter(has_text=full_name)


def test_organiser_enrols_faces_in_the_console_and_at_the_station(tmp_path: Path) -> None:
    chromium_path()
    expect.set_options(timeout=30_000)  # photos go through dlib on two shared cores
    collins, hopper = astronaut_rgb(), grace_hopper_rgb()
    camera = write_y4m(tmp_path / "station.y4m", [frame(hopper, dx=3 * (i % 4), dy=2 * (i % 3)) for i in range(12)])
    with running_system(tmp_path, env=system_env()) as system, sync_playwright() as playwright:
        base_url = system.base_url
        headers = admin_headers(base_url)
        cid = httpx.post(f"{base_url}/api/congresses", headers=headers, timeout=60,
                         json={"name": "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX", "level": "province"}).json()["id"]
        people = {}
        for full_name, delegation in PEOPLE:
            reply = httpx.post(f"{base_url}/api/congresses/{cid}/delegates", headers=headers, timeout=60,
                               json={"full_name": full_name, "delegation": delegation})
            assert reply.status_code == 201, reply.text
            people[full_name] = reply.json()
        hung, nam = people["Trần Văn Hùng"], people["Lê Văn Nam"]
        httpx.post(f"{base_url}/api/congresses/{cid}/delegates/{hung['id']}/face/consent", headers=headers,
                   json={"method": "paper_form"}, timeout=60).raise_for_status()

        context = camera_browser(playwright, camera, {"width": 1280, "height": 1000}, base_url)
        console = ConsoleErrors()
        page = console.watch(context.new_page(), "faces")
        sign_in(page)
        page.goto(f"/#/c/{cid}")
        page.get_by_test_id("nav-faces").click()
        expect(page).to_have_url(re.compile(rf"#/c/{cid}/faces$"))
        expect(page.get_by_test_id("face-row")).to_have_count(4)
        expect(page.get_by_test_id("face-mode-face_then_qr")).to_be_checked()  # the default mode
        expect(page.get_by_test_id("face-keep-photos")).not_to_be_checked()  # keeping photos is opt-in

        # consent first, then three photos: two accepted, the blurred one refused with its reason
        thuy = row(page, "Nguyễn Thị Thủy")
        expect(thuy.get_by_test_id("face-photos-button")).to_have_count(0)  # no photo before consent
        thuy.get_by_test_id("face-consent-button").click()
        dialog = page.get_by_test_id("consent-dialog")
        dialog.get_by_test_id("consent-submit").click()
        expect(dialog.get_by_test_id("consent-error")).to_contain_text("xác nhận")  # never a default "yes"
        dialog.get_by_test_id("consent-method").select_option("paper_form")
        dialog.get_by_test_id("consent-note").fill("Phiếu số 12")
        dialog.get_by_test_id("consent-confirm").check()
        dialog.get_by_test_id("consent-submit").click()
        expect(thuy.get_by_test_id("face-consent")).to_have_text("Đã đồng ý")
        expect(thuy).to_contain_text("Phiếu đồng ý có chữ ký")
        thuy.get_by_test_id("face-photos-button").click()
        dialog = page.get_by_test_id("photos-dialog")
        blurred = image("thuy-mo.jpg", jpeg(cv2.GaussianBlur(collins, (0, 0), 3)))
        dialog.get_by_test_id("photos-file").set_input_files([blurred])  # alone: a 422 that still says why
        dialog.get_by_test_id("photos-submit").click()
        expect(dialog.get_by_test_id("photos-summary")).to_have_text("Nhận 0 ảnh, không nhận 1 ảnh.")
        expect(dialog.get_by_test_id("photo-reason")).to_contain_text("mờ")
        dialog.get_by_test_id("photos-file").set_input_files([
            image("thuy-1.jpg", jpeg(collins)), image("thuy-2.jpg", jpeg(shifted(collins, 8, 4))), blurred])
        dialog.get_by_test_id("photos-submit").click()
        expect(dialog.get_by_test_id("photos-summary")).to_have_text("Nhận 2 ảnh, không nhận 1 ảnh.")
        expect(dialog.get_by_test_id("photos-lookalike")).to_have_count(0)  # nobody else enrolled looks like her
        refused = dialog.locator('[data-testid="photo-result"][data-accepted="false"]')
        expect(refused).to_contain_text("thuy-mo.jpg")
        expect(refused.get_by_test_id("photo-reason")).to_contain_text("mờ")
        page.screenshot(path=str((SHOTS or tmp_path) / "faces-photos-dialog.png"))
        dialog.get_by_test_id("dialog-cancel").click()
        expect(thuy.get_by_test_id("face-photos")).to_have_text("2")
        expect(thuy.get_by_test_id("face-enrolment")).to_have_text("Đã đăng ký")

        # the ZIP: Hùng's photo enrolled, Nam's refused (no consent), a file named by no code refused
        zipped = photo_zip({f"{hung['code']}.jpg": jpeg(hopper), f"{nam['code']}-1.jpg": jpeg(collins),
                            "KHONGCO.jpg": jpeg(hopper)})
        page.get_by_test_id("face-zip").set_input_files(image("anh-dai-bieu.zip", zipped, "application/zip"))
        page.get_by_test_id("face-zip-submit").click()
        report = page.get_by_test_id("face-zip-report")
        expect(report.get_by_test_id("face-zip-summary")).to_have_text("Nhận 1 ảnh, không nhận 2 ảnh.")
        expect(report.locator('[data-accepted="true"]')).to_contain_text(hung["code"])
        expect(report.locator('[data-testid="photo-result"]').filter(has_text=nam["code"])).to_contain_text("chưa đồng ý")
        expect(report.locator('[data-testid="photo-result"]').filter(has_text="KHONGCO.jpg")).to_contain_text(
            "không trùng mã")
        expect(row(page, "Trần Văn Hùng").get_by_test_id("face-photos")).to_have_text("1")
        expect(page.get_by_test_id("face-enrolled")).to_have_text("2")
        look(page, "faces", tmp_path)

        # the station: found without diacritics, consent ticked, two frames from the camera, enrolled
        station = console.watch(context.new_page(), "station")
        station.goto(f"/#/c/{cid}/faces/station")
        expect(station.get_by_test_id("station-camera-status")).to_have_text("Camera sẵn sàng.")
        station.get_by_test_id("station-search").fill("pham thi hoa")
        station.get_by_test_id("station-result-row").filter(has_text="Phạm Thị Hoa").get_by_test_id("station-pick").click()
        expect(station.get_by_test_id("station-name")).to_have_text("Phạm Thị Hoa")
        station.get_by_test_id("station-capture").click()
        station.get_by_test_id("station-capture").click()
        expect(station.get_by_test_id("station-shot")).to_have_count(2)
        expect(station.get_by_test_id("station-send")).to_be_disabled()  # consent not ticked yet
        station.screenshot(path=str((SHOTS or tmp_path) / "station-consent.png"))
        station.get_by_test_id("station-consent").check()
        station.get_by_test_id("station-send").click()
        expect(station.get_by_test_id("station-summary")).to_contain_text("Đã đăng ký khuôn mặt cho Phạm Thị Hoa")
        expect(station.locator('[data-testid="photo-result"][data-accepted="true"]')).not_to_have_count(0)
        expect(station.get_by_test_id("station-next")).to_be_visible()
        look(station, "station", tmp_path)
        station.get_by_test_id("station-next").click()
        expect(station.get_by_test_id("station-person")).to_have_count(0)
        expect(station.get_by_test_id("station-search")).to_have_value("")

        # the console follows (live events): Hoa enrolled, consent "on screen", she and Hùng listed as look-alikes
        hoa = row(page, "Phạm Thị Hoa")
        expect(hoa.get_by_test_id("face-consent")).to_have_text("Đã đồng ý")
        expect(hoa).to_contain_text("Xác nhận trực tiếp tại trạm đăng ký")
        expect(page.get_by_test_id("face-enrolled")).to_have_text("3")
        pair = page.get_by_test_id("face-lookalike")
        expect(pair).to_have_count(1)
        expect(pair).to_contain_text("Phạm Thị Hoa")
        expect(pair).to_contain_text("Trần Văn Hùng")
        expect(hoa.get_by_test_id("face-enrolment")).to_contain_text("Giống người khác")
        page.get_by_test_id("face-search").fill("lang chanh")
        expect(page.get_by_test_id("face-row")).to_have_count(2)
        page.get_by_test_id("face-search").fill("")
        expect(page.get_by_test_id("face-row")).to_have_count(4)

        # settings are saved
        page.get_by_test_id("face-mode-qr_and_face").check()
        page.get_by_test_id("face-settings-submit").click()
        expect(page.get_by_test_id("toast-success").filter(has_text="cài đặt")).to_be_visible()
        saved = httpx.get(f"{base_url}/api/congresses/{cid}/faces/settings", headers=headers, timeout=60).json()
        assert saved == {"mode": "qr_and_face", "liveness": True, "keep_photos": False}
        # withdrawn consent takes the photos with it; removing photos keeps the consent
        thuy.get_by_test_id("face-withdraw-button").click()
        page.get_by_test_id("confirm-dialog").get_by_test_id("dialog-confirm").click()
        expect(thuy.get_by_test_id("face-consent")).to_have_text("Đã rút đồng ý")
        expect(thuy.get_by_test_id("face-photos")).to_have_text("0")
        hung_row = row(page, "Trần Văn Hùng")
        hung_row.get_by_test_id("face-unenrol-button").click()
        page.get_by_test_id("confirm-dialog").get_by_test_id("dialog-confirm").click()
        expect(hung_row.get_by_test_id("face-photos")).to_have_text("0")
        expect(hung_row.get_by_test_id("face-consent")).to_have_text("Đã đồng ý")
        expect(page.get_by_test_id("face-lookalike")).to_have_count(0)  # Hoa alone now
        expect(page.get_by_test_id("face-enrolled")).to_have_text("1")

        # the purge needs the typed word
        page.get_by_test_id("face-purge").click()
        page.get_by_test_id("dialog-input").fill("khong")
        page.get_by_test_id("dialog-confirm").click()
        expect(page.get_by_test_id("toast-error").filter(has_text="Chưa xóa")).to_be_visible()
        expect(page.get_by_test_id("face-templates")).not_to_have_text("0")
        page.get_by_test_id("face-purge").click()
        page.get_by_test_id("dialog-input").fill("xoa")
        page.get_by_test_id("dialog-confirm").click()
        expect(page.get_by_test_id("face-templates")).to_have_text("0")
        expect(hoa.get_by_test_id("face-enrolment")).to_have_text("Chưa đăng ký")
        assert httpx.get(f"{base_url}/api/congresses/{cid}/faces", headers=headers, timeout=60).json()["templates"] == 0
        context.browser.close()
        unexpected = [e for e in console.errors if not re.search(r"status of 422 .*/face/photos", e)]  # the blurred photo alone
        assert unexpected == [], "\n".join(unexpected)
