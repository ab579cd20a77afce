"""The delegate app on a phone (Playwright, Debian's Chromium, 390 px) and the organiser's console (1280 px):
the issue's "done when", driven from the console.

In the console an organiser adds an agenda session and item (and edits it), uploads a confidential draft for
official delegates tied to that item (a file that is not a PDF, then a release time already past, are refused
in the service's Vietnamese words first); a delegate signs in to /app with code and PIN and does not see it;
the organiser opens the item in the console and the delegate sees the document appear without reloading, and
the item's new presenter once the organiser edits it; an announcement posted in the console appears live in
the app. The delegate reads page 3, downloads the copy with their watermark; an alternate cannot fetch it by
URL; with the network cut the opened document still reads. Back in the console: who has read it, a new
version, withdrawal. Screens of the console pages are saved at 1280 px.
"""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pypdfium2
from congress_common.pdf import Fonts
from congress_documents.samples import sample_pdf
from playwright.sync_api import Browser, Page, expect

from congress_cli.live import LiveSystem
from tests.e2e.test_browser import (  # noqa: F401 - fixtures
    PHONE,
    ConsoleErrors,
    admin_headers,
    browser,
    live_system,
    sign_in,
)

pytestmark = __import__("pytest").mark.e2e
DESKTOP = {"width": 1280, "height": 900}
ITEM = "Thảo luận Dự thảo Nghị quyết"
DRAFT = "Dự thảo Nghị quyết Đại hội"


def _setup(base_url: str) -> dict:
    """The congress and its two delegates (an official and an alternate), through the API."""
    admin = admin_headers(base_url)
    with httpx.Client(base_url=base_url, headers=admin, timeout=30) as api:
        cid = api.post("/api/congresses", json={"name": "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX",
                                                "level": "province"}).json()["id"]
        people = {}
        for role, kind in (("official", "official"), ("alternate", "alternate")):
            person = api.post(f"/api/congresses/{cid}/delegates", json={
                "full_name": "Nguyễn Thị Thủy" if kind == "official" else "Lê Văn Hùng",
                "delegation": "LĐLĐ huyện Lang Chánh", "kind": kind}).json()
            people[role] = {**person, **api.get(f"/api/congresses/{cid}/delegates/{person['id']}/credentials").json()}
        for _ in range(100):  # the documents service learns the roster from events
            if len(api.get(f"/api/congresses/{cid}/documents/audience").json()["readers"]) == 2:
                break
    return {"cid": cid, "admin": admin, **people}


def _console_agenda(page: Page, cid: str) -> None:
    """Add a session and an item in the console, then give the item its presenter by editing it."""
    page.goto(f"/#/c/{cid}/agenda")
    expect(page.get_by_test_id("agenda-empty")).to_be_visible()
    page.get_by_test_id("agenda-session-name").fill("Phiên thứ hai")
    page.get_by_test_id("agenda-session-time").fill("2023-08-10T13:30")
    page.get_by_test_id("agenda-session-form-submit").click()
    expect(page.get_by_test_id("agenda-session-title")).to_have_text(["Phiên thứ hai"])
    page.get_by_test_id("agenda-item-title").fill(ITEM)
    page.get_by_test_id("agenda-item-time").fill("2023-08-10T14:00")
    page.get_by_test_id("agenda-item-form-submit").click()
    expect(page.get_by_test_id("agenda-item").get_by_test_id("agenda-item-title")).to_have_text(ITEM)
    _console_edit_presenter(page, "Đồng chí Phó Chủ tịch LĐLĐ tỉnh")
    expect(page.get_by_test_id("agenda-item")).to_contain_text("14:00")


def _console_edit_presenter(page: Page, presenter: str) -> None:
    item = page.get_by_test_id("agenda-item")
    item.get_by_test_id("agenda-item-edit").click()
    page.get_by_test_id("edit-item-presenter").fill(presenter)
    page.get_by_test_id("edit-item-submit").click()
    expect(page.get_by_test_id("edit-item-dialog")).to_have_count(0)
    expect(item).to_contain_text(f"Trình bày: {presenter}")


def _console_upload(page: Page, cid: str, draft: bytes) -> str:
    """A confidential draft for official delegates, released when its agenda item opens; returns its id."""
    page.goto(f"/#/c/{cid}/documents")
    expect(page.get_by_test_id("no-documents")).to_be_visible()
    form = page.get_by_test_id("doc-upload")
    form.get_by_test_id("doc-file").set_input_files({"name": "du-thao.pdf", "mimeType": "application/pdf",
                                                     "buffer": b"PK\x03\x04 not a pdf"})
    form.get_by_test_id("doc-title").fill(DRAFT)
    form.get_by_test_id("doc-submit").click()
    expect(form.get_by_test_id("doc-error")).to_contain_text("không phải PDF")  # the API's words, in the form
    form.get_by_test_id("doc-file").set_input_files({"name": "du-thao.pdf", "mimeType": "application/pdf",
                                                     "buffer": draft})
    form.get_by_test_id("doc-release-at").check()
    form.get_by_test_id("doc-release-time").fill("2020-08-10T08:00")
    form.get_by_test_id("doc-submit").click()
    expect(form.get_by_test_id("doc-error")).to_contain_text("Thời điểm phát hành đã qua", timeout=30_000)
    form.get_by_test_id("doc-category").select_option("resolution")
    form.get_by_test_id("doc-agenda-item").select_option(label=ITEM)
    form.get_by_test_id("doc-audience").select_option("official")
    form.get_by_test_id("doc-confidential").check()
    form.get_by_test_id("doc-release-agenda_item").check()
    form.get_by_test_id("doc-submit").click()
    row = page.get_by_test_id("doc-row")
    expect(row).to_have_count(1, timeout=30_000)  # the PDF worker may be starting
    expect(row.get_by_test_id("doc-release-state")).to_have_text(f"Chờ mở mục “{ITEM}”")
    expect(row).to_contain_text("Chỉ đại biểu chính thức")
    expect(row.get_by_test_id("doc-confidential-tag")).to_be_visible()
    expect(form.get_by_test_id("doc-error")).to_be_hidden()
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})  # an organiser on a phone: one card per document
    expect(row.get_by_test_id("doc-release-state")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert row.bounding_box()["width"] <= 390 and row.get_by_test_id("doc-withdraw").bounding_box()["x"] < 390
    page.set_viewport_size(size)
    return row.get_attribute("data-document-id")


def _console_open_item(page: Page, cid: str) -> None:
    page.goto(f"/#/c/{cid}/agenda")
    item = page.get_by_test_id("agenda-item")
    expect(item.get_by_test_id("agenda-item-waiting")).to_have_text("1 tài liệu chờ mở mục này")
    item.get_by_test_id("agenda-open").click()
    expect(page.get_by_test_id("confirm-dialog")).to_contain_text("1 tài liệu gắn với mục này")
    page.get_by_test_id("dialog-confirm").click()
    expect(item).to_have_attribute("data-current", "true")
    expect(item.get_by_test_id("agenda-current")).to_have_text("Đang diễn ra")


def _console_announce(page: Page, cid: str, text: str) -> None:
    page.goto(f"/#/c/{cid}/announcements")
    expect(page.get_by_test_id("no-announcements")).to_be_visible()
    page.get_by_test_id("announcement-text").fill(text)
    page.get_by_test_id("announcement-priority").select_option("important")
    page.get_by_test_id("announcement-submit").click()
    expect(page.get_by_test_id("announcement-item").first).to_contain_text(text)
    expect(page.get_by_test_id("announcement-item").first).to_contain_text("Quan trọng")


def _console_after_reading(page: Page, cid: str, official: dict, fonts: Fonts, shots: Path) -> None:
    """Who has read it, then a second version, then withdrawal, in the console."""
    page.goto(f"/#/c/{cid}/documents")
    row = page.get_by_test_id("doc-row")
    expect(row.get_by_test_id("doc-reads")).to_have_text("Đã đọc 1 / chưa đọc 0")
    row.get_by_test_id("doc-receipts").click()
    opened = page.get_by_test_id("receipt-opened")
    expect(opened).to_have_count(1)
    expect(opened).to_contain_text(official["full_name"])
    expect(opened).to_contain_text("bản 1")
    page.screenshot(path=str(shots / "console-receipts.png"))
    page.get_by_test_id("modal-close").click()

    row.get_by_test_id("doc-new-version").click()
    page.get_by_test_id("version-file").set_input_files({"name": "du-thao-2.pdf", "mimeType": "application/pdf",
                                                         "buffer": sample_pdf(fonts, pages=6, seed=2, title=DRAFT)})
    page.get_by_test_id("version-note").fill("Sửa Điều 5 theo ý kiến thảo luận tổ")
    page.get_by_test_id("version-submit").click()
    expect(page.get_by_test_id("version-dialog")).to_have_count(0)
    expect(row).to_contain_text("bản 2 · 6 trang")
    page.screenshot(path=str(shots / "console-documents.png"), full_page=True)

    row.get_by_test_id("doc-withdraw").click()
    page.get_by_test_id("dialog-input").fill("Phát hành nhầm bản dự thảo")
    page.get_by_test_id("dialog-confirm").click()
    expect(row.get_by_test_id("doc-release-state")).to_contain_text("Đã thu hồi")
    expect(row.get_by_test_id("doc-withdraw")).to_have_count(0)


def _sign_in(page, person) -> None:
    page.get_by_test_id("login-code").fill(person["code"])
    page.get_by_test_id("login-pin").fill(person["pin"])
    page.get_by_test_id("login-submit").click()


def test_delegate_reads_the_draft_the_console_released(browser: Browser, live_system: LiveSystem,  # noqa: F811
                                                        tmp_path: Path):
    base_url = live_system.base_url
    world = _setup(base_url)
    cid, official = world["cid"], world["official"]
    fonts = Fonts.locate()
    desk = browser.new_context(base_url=base_url, locale="vi-VN", viewport=DESKTOP, accept_downloads=True)
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport=PHONE, accept_downloads=True,
                                  service_workers="allow")
    for each in (desk, context):
        each.set_default_timeout(15_000)
    console = ConsoleErrors()
    shots = Path("/tmp") if Path("/tmp").is_dir() else tmp_path
    try:
        organiser = console.watch(desk.new_page(), "console")
        sign_in(organiser)
        _console_agenda(organiser, cid)
        doc_id = _console_upload(organiser, cid, sample_pdf(fonts, pages=5, title=DRAFT))

        page = console.watch(context.new_page(), "app")
        scripts: list[str] = []
        page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
        page.goto(f"/app/?c={cid}#/login")
        expect(page.get_by_test_id("login-form")).to_be_visible()
        page.screenshot(path=str(shots / "app-login.png"))
        _sign_in(page, official)
        expect(page.get_by_test_id("no-documents")).to_be_visible()  # not before its agenda item opens
        page.evaluate("window.__notReloaded = true")
        page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")

        _console_open_item(organiser, cid)
        organiser.screenshot(path=str(shots / "console-agenda.png"), full_page=True)
        link = page.get_by_test_id("document-link")
        expect(link).to_have_count(1)  # appeared live
        expect(page.get_by_test_id("current-item-title")).to_have_text(ITEM)
        expect(link.get_by_test_id("document-state")).to_have_text("Mới")
        _console_edit_presenter(organiser, "Đồng chí Chủ tịch LĐLĐ tỉnh")  # the programme edited: phones follow
        expect(page.get_by_test_id("current-item")).to_contain_text("Trình bày: Đồng chí Chủ tịch LĐLĐ tỉnh")
        _console_announce(organiser, cid, "Đại biểu về hội trường lúc 13h30")
        organiser.screenshot(path=str(shots / "console-announcements.png"), full_page=True)
        expect(page.get_by_test_id("announcement").first).to_contain_text("Đại biểu về hội trường lúc 13h30")
        expect(page.get_by_test_id("announcement").first).to_contain_text(re.compile(r"· \d{2}:\d{2} \d{2}/\d{2}"))  # dd/mm
        assert page.evaluate("window.__notReloaded") is True, "the home page reloaded instead of updating live"
        page.screenshot(path=str(shots / "app-home.png"), full_page=True)

        link.click()
        expect(page.get_by_test_id("reader-title")).to_have_text("Dự thảo Nghị quyết Đại hội")
        # a page not yet arrived is a blank page saying so, never a broken-image icon
        assert page.evaluate("[...document.querySelectorAll('[data-testid=page]')].every((i) => i.getAttribute('src'))")
        third = page.locator('[data-testid="page"][data-page="3"]')
        third.scroll_into_view_if_needed()
        expect(third).to_have_attribute("data-state", "shown", timeout=30_000)
        assert page.evaluate("document.querySelector('[data-page=\"3\"]').naturalWidth") >= 400
        page.get_by_test_id("zoom-in").click()
        widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: innerWidth})")
        assert widths["inner"] == PHONE["width"]
        page.screenshot(path=str(shots / "app-reader.png"))

        with page.expect_download() as download_info:
            page.get_by_test_id("download").click()
        saved = tmp_path / "tai-ve.pdf"
        download_info.value.save_as(saved)
        document = pypdfium2.PdfDocument(saved.read_bytes())
        texts = [" ".join(p.get_textpage().get_text_range().split()) for p in document]
        document.close()
        assert len(texts) == 5 and all(official["full_name"] in t and official["code"] in t for t in texts)

        # the alternate cannot fetch it by URL
        alternate = world["alternate"]
        token = httpx.post(f"{base_url}/api/auth/delegate", json={"congress_id": cid, "code": alternate["code"],
                                                                  "pin": alternate["pin"]}).json()["access_token"]
        for path in ("file", "pages/3"):
            reply = httpx.get(f"{base_url}/api/congresses/{cid}/documents/{doc_id}/{path}",
                              headers={"authorization": f"Bearer {token}"})
            assert reply.status_code == 404, reply.text

        # network cut: the opened document still reads, the app says it is offline
        context.set_offline(True)
        expect(page.get_by_test_id("offline-banner")).to_be_visible()
        page.get_by_test_id("reader-back").click()
        expect(page.get_by_test_id("document-link")).to_have_count(1)  # the list from the service worker's copy
        page.get_by_test_id("document-link").click()
        third = page.locator('[data-testid="page"][data-page="3"]')
        third.scroll_into_view_if_needed()
        expect(third).to_have_attribute("data-state", "shown", timeout=30_000)
        page.screenshot(path=str(shots / "app-offline.png"))
        context.set_offline(False)
        expect(page.get_by_test_id("offline-banner")).to_be_hidden()

        # on the home page, cut off while an announcement is posted: told once when back (the browser's
        # 'online' event and the stream's resync both catch up)
        page.get_by_test_id("reader-back").click()
        expect(page.get_by_test_id("announcement").first).to_be_visible()
        context.set_offline(True)
        expect(page.get_by_test_id("offline-banner")).to_be_visible()
        page.wait_for_timeout(1000)  # the stream notices the cut
        posted = httpx.post(f"{base_url}/api/congresses/{cid}/announcements", headers=world["admin"],
                            json={"text": "Tổ 3 thảo luận tại phòng 201"})
        assert posted.status_code == 201, posted.text
        context.set_offline(False)
        expect(page.get_by_test_id("announcement").first).to_contain_text("Tổ 3 thảo luận tại phòng 201")
        page.wait_for_timeout(4000)  # every catch-up has run
        told = page.locator('[data-testid^="toast-"]').filter(has_text="Tổ 3 thảo luận tại phòng 201")
        summary = page.locator('[data-testid^="toast-"]').filter(has_text="thông báo mới trong lúc mất kết nối")
        assert told.count() + summary.count() == 1, (told.count(), summary.count())

        _console_after_reading(organiser, cid, official, fonts, shots)
        loaded = [u for u in scripts if "/static/" in u or "/app/" in u]
        assert loaded and not [u for u in loaded if re.search(r"/static/(app\.js|views/|components/)", u)], loaded
        errors = [e for e in console.errors if "net::ERR_INTERNET_DISCONNECTED" not in e and "Failed to fetch" not in e
                  and not ("net::ERR_FAILED" in e and "/announcements?since=" in e)  # catching up as the network returns
                  and not (e.startswith("console:") and "status of 422" in e)]  # the refused upload, on purpose
        assert errors == [], "\n".join(errors)
    finally:
        context.close()
        desk.close()


def test_the_app_is_installable(live_system: LiveSystem):  # noqa: F811
    manifest = httpx.get(f"{live_system.base_url}/app/manifest.webmanifest").json()
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone" and manifest["lang"] == "vi"
    for icon in manifest["icons"]:
        assert httpx.get(f"{live_system.base_url}{icon['src']}").status_code == 200
    worker = httpx.get(f"{live_system.base_url}/app/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.headers["content-type"]
    assert httpx.get(f"{live_system.base_url}/app", follow_redirects=False).headers["location"] == "/app/"


def test_a_wrong_pin_is_said_once_and_forgotten_after_signing_in(browser: Browser, live_system: LiveSystem):  # noqa: F811
    """A mistyped PIN is a message under the form, not an 'expired session' toast that stays on the home screen."""
    world = _setup(live_system.base_url)
    context = browser.new_context(base_url=live_system.base_url, locale="vi-VN", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"/app/?c={world['cid']}#/login")
        _sign_in(page, {**world["official"], "pin": "000000"})
        expect(page.get_by_test_id("login-error")).to_have_text("Mã đại biểu hoặc mã PIN không đúng")
        expect(page.get_by_test_id("toast-error")).to_have_count(0)
        _sign_in(page, world["official"])
        expect(page.get_by_test_id("documents")).to_be_visible()
        expect(page.get_by_test_id("toast-error")).to_have_count(0)
    finally:
        context.close()


def test_the_app_opened_without_its_link_finds_the_congress_by_name(browser: Browser, live_system: LiveSystem):  # noqa: F811
    """/app/ with no ?c=: never a congress id to type. One open congress is used; of several, one is picked by name."""
    world = _setup(live_system.base_url)
    name = "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX"

    def bare_login() -> tuple[object, Page]:
        context = browser.new_context(base_url=live_system.base_url, locale="vi-VN", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/app/#/login")
        expect(page.get_by_test_id("login-form")).to_be_visible()
        expect(page.get_by_test_id("login-form")).not_to_contain_text("Mã đại hội")
        return context, page

    context, page = bare_login()
    try:
        expect(page.get_by_test_id("login-congress-name")).to_contain_text(name)  # the only one: no choice to make
        _sign_in(page, world["official"])
        expect(page.get_by_test_id("documents")).to_be_visible()
    finally:
        context.close()

    with httpx.Client(base_url=live_system.base_url, headers=world["admin"], timeout=30) as api:
        api.post("/api/congresses", json={"name": "Đại hội Công đoàn ngành Giáo dục tỉnh Đắk Lắk lần thứ XVI",
                                          "level": "district", "starts_on": "2023-06-15"}).raise_for_status()
        closed = api.post("/api/congresses", json={"name": "Đại hội CĐCS Khu Kinh tế Nghi Sơn"}).json()["id"]
        api.post(f"/api/congresses/{closed}/close").raise_for_status()
    context, page = bare_login()
    try:
        pick = page.get_by_test_id("login-congress")
        expect(pick.locator("option")).to_have_text(["— Chọn đại hội —", "Đại hội Công đoàn ngành Giáo dục tỉnh Đắk Lắk "
                                                     "lần thứ XVI (15/06/2023)", name])  # not the closed one
        page.screenshot(path=str(Path("/tmp") / "app-login-pick.png"))
        _sign_in(page, world["official"])
        assert pick.evaluate("el => el.validity.valueMissing")  # the form asks for a congress first
        expect(page.get_by_test_id("login-form")).to_be_visible()
        pick.select_option(label=name)
        _sign_in(page, world["official"])
        expect(page.get_by_test_id("documents")).to_be_visible()
    finally:
        context.close()
