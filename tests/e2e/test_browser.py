"""The web UI in a real browser (Playwright driving Debian's Chromium) against ``congress up``.

One scenario, as the organisers live it: sign in, create a congress, import the roster from Excel,
find a delegate without diacritics, check two delegates in at the desk (search button and QR scanner),
watch a second page (the dashboard) follow over SSE, undo one check-in with a reason, and check
that the desk fits a phone screen. Never runs ``playwright install``: it uses the system Chromium.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from congress_checkin.domain.roster_import import write_delegate_workbook
from congress_checkin.domain.synthetic import synthetic_delegates
from congress_common.text import fold
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from congress_cli.live import LiveSystem, running_system
from tests.conftest import ADMIN_PASSWORD, spoil_workbook
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, system_env

pytestmark = pytest.mark.e2e

ROSTER_SIZE = 30
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def live_system(tmp_path: Path) -> Iterator[LiveSystem]:
    with running_system(tmp_path, env=system_env()) as system:
        yield system


class ConsoleErrors:
    """Console messages of type "error" and uncaught exceptions, on every page that watch() was given."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page, name: str) -> Page:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.errors.append(f"{name}: console error: {message.text} ({message.location})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{name}: uncaught: {error}"))
        return page


def sign_in(page: Page) -> None:
    """Sign in as admin through the login page."""
    page.goto("/#/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(re.compile(r"#/congresses$"))


def admin_headers(base_url: str) -> dict[str, str]:
    reply = httpx.post(f"{base_url}/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}, timeout=30)
    assert reply.status_code == 200, reply.text
    return {"authorization": f"Bearer {reply.json()['access_token']}"}


def test_organiser_flow_in_browser(browser: Browser, live_system: LiveSystem, tmp_path: Path) -> None:
    base_url = live_system.base_url
    roster = synthetic_delegates(ROSTER_SIZE)
    workbook = tmp_path / "danh-sach-dai-bieu.xlsx"
    workbook.write_bytes(write_delegate_workbook(roster))
    officials = [row for row in roster if str(getattr(row["kind"], "value", row["kind"])) == "official"]
    by_search, by_qr = officials[0], officials[1]
    congress_name = "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX, nhiệm kỳ 2023–2028"

    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    console = ConsoleErrors()
    try:
        page = console.watch(context.new_page(), "main")
        scripts: list[str] = []
        page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)

        sign_in(page)

        # Create a congress through the form, then open it.
        page.get_by_test_id("congress-name").fill(congress_name)
        page.get_by_test_id("congress-level").select_option("province")
        page.get_by_test_id("congress-submit").click()
        card = page.get_by_test_id("congress-item").filter(has_text=congress_name)
        expect(card).to_have_count(1)
        cid = card.get_attribute("data-congress-id")
        assert cid
        card.get_by_test_id("congress-link").click()
        expect(page).to_have_url(re.compile(rf"#/c/{re.escape(cid)}$"))
        expect(page.get_by_test_id("dashboard-title")).to_have_text(congress_name)
        views = {re.sub(r".*/views/", "", u) for u in scripts if "/static/views/" in u}
        assert {"login.js", "congresses.js", "dashboard.js"} <= views and "seating.js" not in views, views  # import()
        # Nobody yet: no "at least 0 delegates", no verdict on a quorum that cannot be computed.
        expect(page.get_by_test_id("quorum-need")).to_contain_text("chưa tính được số tối thiểu")
        expect(page.get_by_test_id("quorum-status")).to_have_text("Chưa có đại biểu")
        page.goto(f"/#/c/{cid}/credentials")  # the credentials report says the same, with no "at least 0"
        expect(page.get_by_test_id("report-required")).to_have_text("–")
        expect(page.get_by_test_id("report-verdict")).to_contain_text("chưa tính được số tối thiểu (2/3)")
        expect(page.get_by_test_id("report-verdict")).to_have_attribute("data-met", "unknown")
        page.goto(f"/#/c/{cid}")
        expect(page.get_by_test_id("dashboard-title")).to_have_text(congress_name)

        # Import the roster from Excel on the delegates page; a file with three bad rows first (one has two errors).
        page.get_by_test_id("nav-delegates").click()
        expect(page).to_have_url(re.compile(rf"#/c/{re.escape(cid)}/delegates$"))
        spoiled = tmp_path / "co-loi.xlsx"
        spoiled.write_bytes(spoil_workbook(workbook.read_bytes(), {
            (2, "Họ và tên"): None, (2, "Loại đại biểu"): "Danh dự", (5, "Năm sinh"): "năm ngoái",
            (7, "Loại đại biểu"): "Khách quý"}))
        page.get_by_test_id("import-file").set_input_files(spoiled)
        page.get_by_test_id("import-submit").click()
        expect(page.get_by_test_id("preview-refused")).to_have_text("3", timeout=30_000)  # the first file: workers start
        refused = page.get_by_test_id("import-refused-row")
        expect(refused).to_have_count(3)
        expect(refused.first).to_contain_text("Thiếu họ và tên")
        expect(refused.first).to_contain_text("Danh dự")
        page.get_by_test_id("import-cancel").click()
        page.get_by_test_id("import-file").set_input_files(workbook)
        page.get_by_test_id("import-submit").click()
        expect(page.get_by_test_id("preview-added")).to_have_text(str(ROSTER_SIZE))  # first the preview
        expect(page.get_by_test_id("delegate-row")).to_have_count(0)  # nothing written yet
        page.get_by_test_id("import-confirm").click()
        expect(page.get_by_test_id("import-created")).to_have_text(str(ROSTER_SIZE))
        expect(page.get_by_test_id("delegate-row")).to_have_count(ROSTER_SIZE)

        # Search without diacritics.
        query = fold(by_search["full_name"])
        assert query != by_search["full_name"].lower()  # the search really has to fold
        page.get_by_test_id("delegate-search").fill(query)
        expect(page.get_by_test_id("delegate-count")).to_contain_text(query)
        rows = page.get_by_test_id("delegate-row")
        expect(rows.filter(has_text=by_search["full_name"])).to_have_count(1)
        assert rows.count() < ROSTER_SIZE

        # The numbers the screens must show, and the QR token of a badge (as the badge printer would).
        headers = admin_headers(base_url)
        listing = httpx.get(f"{base_url}/api/congresses/{cid}/delegates", params={"limit": 500}, headers=headers, timeout=30)
        listing.raise_for_status()
        ids = {d["code"]: d["id"] for d in listing.json()["items"]}
        search_id, qr_id = ids[by_search["code"]], ids[by_qr["code"]]
        reply = httpx.get(f"{base_url}/api/congresses/{cid}/delegates/{qr_id}/credentials", headers=headers, timeout=30)
        reply.raise_for_status()
        qr_token = reply.json()["qr"]
        summoned = len(officials)
        required = math.ceil(summoned * 2 / 3)

        # The dashboard on a second page, open (and live) before anyone checks in.
        dashboard = console.watch(context.new_page(), "dashboard")
        dashboard.goto(f"/#/c/{cid}")
        expect(dashboard.get_by_test_id("live-indicator")).to_have_attribute("data-status", "live")
        expect(dashboard.get_by_test_id("present")).to_have_text("0")
        expect(dashboard.get_by_test_id("summoned")).to_have_text(str(summoned))
        expect(dashboard.get_by_test_id("quorum-required")).to_have_text(str(required))
        dashboard.evaluate("window.__notReloaded = true")

        # The desk: check one delegate in by search + "Điểm danh".
        page.get_by_test_id("nav-desk").click()
        expect(page).to_have_url(re.compile(rf"#/c/{re.escape(cid)}/desk$"))
        expect(page.get_by_test_id("present")).to_have_text("0")
        expect(page.get_by_test_id("summoned")).to_have_text(str(summoned))
        expect(page.get_by_test_id("quorum-required")).to_have_text(str(required))
        page.get_by_test_id("desk-search").fill(query)
        result = page.locator(f'[data-testid="desk-result"][data-delegate-id="{search_id}"]')
        result.get_by_test_id("checkin-button").click()
        flash = page.get_by_test_id("checkin-flash")
        expect(flash).to_have_attribute("data-state", "new")
        expect(flash.get_by_test_id("flash-name")).to_have_text(by_search["full_name"])
        expect(page.get_by_test_id("present")).to_have_text("1")
        expect(dashboard.get_by_test_id("present")).to_have_text("1")

        # ... and another by its badge's QR code, typed as a scanner does (ending with Enter).
        qr_input = page.get_by_test_id("qr-input")
        qr_input.fill(qr_token)
        qr_input.press("Enter")
        expect(flash).to_have_attribute("data-state", "new")
        expect(flash.get_by_test_id("flash-name")).to_have_text(by_qr["full_name"])
        expect(qr_input).to_have_value("")
        expect(page.get_by_test_id("present")).to_have_text("2")
        expect(dashboard.get_by_test_id("present")).to_have_text("2")
        expect(dashboard.get_by_test_id("quorum-status")).to_have_attribute("data-met", "false")

        # A delegate code typed into the QR box (no badge at hand): that delegate is shown to confirm, not checked in.
        by_code = officials[2]
        qr_input.fill(by_code["code"].lower())
        qr_input.press("Enter")
        expect(flash).to_have_attribute("data-state", "candidate")
        candidate = flash.locator(f'[data-testid="desk-result"][data-delegate-id="{ids[by_code["code"]]}"]')
        expect(candidate.get_by_test_id("desk-result-name")).to_have_text(by_code["full_name"])
        expect(candidate.get_by_test_id("checkin-button")).to_be_visible()
        expect(page.get_by_test_id("present")).to_have_text("2")
        page.screenshot(path=str(tmp_path / "desk-code.png"), full_page=True)

        # Undo the first check-in, with a reason, from the desk's search result.
        expect(result).to_have_attribute("data-checked-in", "true")
        result.get_by_test_id("undo-button").click()
        page.get_by_test_id("dialog-input").fill("Quét nhầm đại biểu")
        page.get_by_test_id("dialog-confirm").click()
        expect(page.get_by_test_id("prompt-dialog")).to_have_count(0)
        expect(page.get_by_test_id("present")).to_have_text("1")
        expect(dashboard.get_by_test_id("present")).to_have_text("1")
        expect(result.get_by_test_id("checkin-button")).to_be_visible()
        assert dashboard.evaluate("window.__notReloaded") is True, "the dashboard reloaded instead of updating live"
        dashboard.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

        # The desk on a phone: nothing wider than the screen.
        page.set_viewport_size(PHONE)
        expect(page.get_by_test_id("qr-input")).to_be_visible()
        widths = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert widths["inner"] == PHONE["width"]
        assert widths["scroll"] <= widths["inner"], f"the desk overflows horizontally on a phone: {widths}"

        # The header at a tablet's 768 px: every page tab in sight (in rows, no sideways scroll), the whole name.
        page.set_viewport_size({"width": 768, "height": 1000})
        overflowing = page.evaluate("""() => [...document.querySelectorAll('.tabs, [data-testid="header-congress-name"]')]
            .filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.className)""")
        assert overflowing == [], f"cut or scrolled sideways at 768 px: {overflowing}"
        expect(page.get_by_test_id("nav-congresses")).to_be_in_viewport()
        # On a phone: the congress name still shows, the pages fold behind one button naming the current one.
        page.set_viewport_size(PHONE)
        expect(page.get_by_test_id("header-congress-name")).to_be_visible()
        expect(page.get_by_test_id("nav-delegates")).to_be_hidden()
        expect(page.get_by_test_id("nav-toggle")).to_contain_text("Bàn điểm danh")
        page.get_by_test_id("nav-toggle").click()
        expect(page.get_by_test_id("nav-delegates")).to_be_in_viewport()
        page.screenshot(path=str(tmp_path / "desk-menu-390.png"), full_page=True)

        unexpected = [e for e in console.errors if not re.search(r"status of 422 .*/checkins", e)]  # the typed code
        assert unexpected == [], "\n".join(unexpected)
    finally:
        context.close()
    assert_roles_leave_the_console(browser, base_url, headers, cid, search_id)


def assert_roles_leave_the_console(browser: Browser, base_url: str, headers: dict[str, str], cid: str,
                                   delegate_id: str) -> None:
    """Regression: a delegate's or a kiosk's token showed organiser screens that then failed."""
    kiosk = httpx.post(f"{base_url}/api/congresses/{cid}/kiosks", json={"name": "Cổng A"}, headers=headers, timeout=30)
    creds = httpx.get(f"{base_url}/api/congresses/{cid}/delegates/{delegate_id}/credentials", headers=headers,
                      timeout=30).json()
    delegate = httpx.post(f"{base_url}/api/auth/delegate", timeout=30,
                          json={"congress_id": cid, "code": creds["code"], "pin": creds["pin"]})
    for token, entry in ((kiosk.json()["token"], "/kiosk"), (delegate.json()["access_token"], "/app")):
        context = browser.new_context(base_url=base_url)
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            page.goto("/static/favicon.svg")
            page.evaluate("token => localStorage.setItem('congress.token', token)", token)
            page.goto(f"/#/c/{cid}/delegates")
            page.wait_for_url(re.compile(rf"{re.escape(base_url)}{entry}([/?#].*)?$"))
        finally:
            context.close()


def test_a_kiosk_code_reads_not_paired_until_a_tablet_opens_it(browser: Browser, live_system: LiveSystem,
                                                                tmp_path: Path) -> None:
    """Was: "Đang dùng" (in use) from the moment the code was made, before any tablet had opened it."""
    base_url = live_system.base_url
    headers = admin_headers(base_url)
    cid = httpx.post(f"{base_url}/api/congresses", json={"name": "Đại hội Công đoàn huyện Lang Chánh"}, headers=headers,
                     timeout=30).json()["id"]
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    console = ConsoleErrors()
    try:
        page = console.watch(context.new_page(), "console")
        sign_in(page)
        page.goto(f"/#/c/{cid}/users")
        page.get_by_test_id("kiosk-name").fill("Cổng A")
        page.get_by_test_id("kiosk-submit").click()
        link = page.get_by_test_id("kiosk-created").get_by_test_id("kiosk-link").input_value()
        status = page.get_by_test_id("kiosk-row").filter(has_text="Cổng A").get_by_test_id("kiosk-status")
        expect(status).to_have_text("Chưa ghép")
        tablet = browser.new_context(base_url=base_url, locale="vi-VN")
        try:
            kiosk = tablet.new_page()
            kiosk.goto(link)
            expect(kiosk.get_by_test_id("kiosk-station")).to_be_visible()  # started with its code (camera or not)
        finally:
            tablet.close()
        for _ in range(20):  # the kiosk page says so as it starts
            page.reload()
            if status.get_attribute("data-state", timeout=15_000) == "paired":
                break
        expect(status).to_have_text("Đang dùng")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            status.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / f"console-kiosks-{width}.png"))
        assert console.errors == [], "\n".join(console.errors)
    finally:
        context.close()
