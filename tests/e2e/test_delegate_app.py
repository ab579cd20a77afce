"""The delegate app on a phone (Playwright, Debian's Chromium, 390 px): the issue's "done when".

The organiser uploads a confidential draft for official delegates tied to an agenda item (through the API);
a delegate signs in with code and PIN, does not see it until the item opens, then sees it appear without
reloading, reads page 3, downloads it with their watermark; an alternate cannot fetch it by URL; an
announcement appears live; with the network cut, the opened document still reads.
"""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pypdfium2
from congress_common.pdf import Fonts
from congress_documents.samples import sample_pdf
from playwright.sync_api import Browser, expect

from congress_cli.live import LiveSystem
from tests.e2e.test_browser import PHONE, ConsoleErrors, admin_headers, browser, live_system  # noqa: F401 - fixtures

pytestmark = __import__("pytest").mark.e2e


def _setup(base_url: str) -> dict:
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
        programme = api.post(f"/api/congresses/{cid}/agenda/sessions", json={"title": "Phiên thứ hai"}).json()
        item = api.post(f"/api/congresses/{cid}/agenda/items", json={
            "session_id": programme["id"], "title": "Thảo luận Dự thảo Nghị quyết"}).json()
        for _ in range(100):  # the documents service learns the roster from events
            if len(api.get(f"/api/congresses/{cid}/documents/audience").json()["readers"]) == 2:
                break
        draft = sample_pdf(Fonts.locate(), pages=5, title="Dự thảo Nghị quyết Đại hội")
        doc = api.post(f"/api/congresses/{cid}/documents", files={"file": ("du-thao.pdf", draft, "application/pdf")},
                       data={"title": "Dự thảo Nghị quyết Đại hội", "category": "resolution", "audience": "official",
                             "release": "agenda_item", "agenda_item_id": item["id"], "confidential": "true"})
        assert doc.status_code == 201, doc.text
    return {"cid": cid, "admin": admin, "item": item["id"], "doc": doc.json()["id"], **people}


def _sign_in(page, person) -> None:
    page.get_by_test_id("login-code").fill(person["code"])
    page.get_by_test_id("login-pin").fill(person["pin"])
    page.get_by_test_id("login-submit").click()


def test_delegate_reads_the_released_draft_on_a_phone(browser: Browser, live_system: LiveSystem, tmp_path: Path):  # noqa: F811
    base_url = live_system.base_url
    world = _setup(base_url)
    cid, official = world["cid"], world["official"]
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport=PHONE, accept_downloads=True,
                                  service_workers="allow")
    context.set_default_timeout(15_000)
    console = ConsoleErrors()
    shots = Path("/tmp") if Path("/tmp").is_dir() else tmp_path
    try:
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

        with httpx.Client(base_url=base_url, headers=world["admin"], timeout=30) as api:
            assert api.post(f"/api/congresses/{cid}/agenda/items/{world['item']}/open").status_code == 200
            link = page.get_by_test_id("document-link")
            expect(link).to_have_count(1)  # appeared live
            expect(page.get_by_test_id("current-item-title")).to_have_text("Thảo luận Dự thảo Nghị quyết")
            expect(link.get_by_test_id("document-state")).to_have_text("Mới")
            assert api.post(f"/api/congresses/{cid}/announcements", json={
                "text": "Đại biểu về hội trường lúc 13h30", "priority": "important"}).status_code == 201
            expect(page.get_by_test_id("announcement").first).to_contain_text("Đại biểu về hội trường lúc 13h30")
        assert page.evaluate("window.__notReloaded") is True, "the home page reloaded instead of updating live"
        page.screenshot(path=str(shots / "app-home.png"), full_page=True)

        link.click()
        expect(page.get_by_test_id("reader-title")).to_have_text("Dự thảo Nghị quyết Đại hội")
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
            reply = httpx.get(f"{base_url}/api/congresses/{cid}/documents/{world['doc']}/{path}",
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

        loaded = [u for u in scripts if "/static/" in u or "/app/" in u]
        assert loaded and not [u for u in loaded if re.search(r"/static/(app\.js|views/|components/)", u)], loaded
        errors = [e for e in console.errors if "net::ERR_INTERNET_DISCONNECTED" not in e and "Failed to fetch" not in e]
        assert errors == [], "\n".join(errors)
    finally:
        context.close()


def test_the_app_is_installable(live_system: LiveSystem):  # noqa: F811
    manifest = httpx.get(f"{live_system.base_url}/app/manifest.webmanifest").json()
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone" and manifest["lang"] == "vi"
    for icon in manifest["icons"]:
        assert httpx.get(f"{live_system.base_url}{icon['src']}").status_code == 200
    worker = httpx.get(f"{live_system.base_url}/app/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.headers["content-type"]
    assert httpx.get(f"{live_system.base_url}/app", follow_redirects=False).headers["location"] == "/app/"
