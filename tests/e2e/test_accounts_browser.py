"""The accounts page in a real browser: the admin resets a password, disables an account, gives an existing
organiser a second congress; the form names the field it refuses; an organiser locked out is told for how long.
"""
from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from congress_cli.live import LiveSystem
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.test_browser import PHONE, ConsoleErrors, admin_headers, browser, live_system  # noqa: F401 - fixtures

pytestmark = __import__("pytest").mark.e2e


def _setup(base_url: str) -> dict:
    with httpx.Client(base_url=base_url, headers=admin_headers(base_url), timeout=30) as api:
        first = api.post("/api/congresses", json={"name": "Đại hội Công đoàn tỉnh Thanh Hóa lần thứ XX"}).json()["id"]
        second = api.post("/api/congresses", json={"name": "Đại hội Công đoàn ngành Giáo dục tỉnh Thanh Hóa"}).json()["id"]
        hanh = api.post("/api/users", json={"username": "hanh.tt", "password": "mat-khau-hanh-1", "congress_ids": [second],
                                            "full_name": "Trịnh Thị Hạnh"}).json()
        return {"first": first, "second": second, "hanh": hanh}


def _login(base_url: str, username: str, password: str) -> httpx.Response:
    return httpx.post(f"{base_url}/api/auth/token", data={"username": username, "password": password}, timeout=30)


def test_admin_manages_accounts_in_browser(browser: Browser, live_system: LiveSystem, tmp_path: Path) -> None:  # noqa: F811
    base_url = live_system.base_url
    world = _setup(base_url)
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    console = ConsoleErrors()
    try:
        page = console.watch(context.new_page(), "accounts")
        page.goto("/#/login")
        page.get_by_test_id("login-username").fill("admin")
        page.get_by_test_id("login-password").fill(ADMIN_PASSWORD)
        page.get_by_test_id("login-submit").click()
        expect(page).to_have_url(re.compile(r"#/congresses$"))
        page.goto(f"/#/c/{world['first']}/users")

        # The form names the field it refuses (was: "Dữ liệu gửi lên không hợp lệ").
        page.get_by_test_id("user-full-name").fill("Lê Văn Tổ Chức")
        page.get_by_test_id("user-username").fill("có dấu")
        page.get_by_test_id("user-password").fill("ngan")
        page.get_by_test_id("user-submit").click()
        error = page.get_by_test_id("user-form-error")
        expect(error).to_contain_text("Tên đăng nhập")
        expect(error).to_contain_text("Mật khẩu")
        expect(page.get_by_test_id("user-username")).to_have_attribute("aria-invalid", "true")
        page.screenshot(path=str(tmp_path / "accounts-form-error.png"), full_page=True)
        page.get_by_test_id("user-username").fill("to.chuc")
        page.get_by_test_id("user-password").fill("mat-khau-to-chuc-1")
        page.get_by_test_id("user-submit").click()
        row = page.get_by_test_id("user-row").filter(has_text="to.chuc")
        expect(row).to_have_count(1)

        # Give an existing organiser (of the other congress) access to this one.
        page.get_by_test_id("user-existing-select").select_option(label="Trịnh Thị Hạnh (hanh.tt)")
        page.get_by_test_id("user-existing-submit").click()
        hanh = page.get_by_test_id("user-row").filter(has_text="hanh.tt")
        expect(hanh).to_contain_text("2 đại hội")

        # Reset her password: the old one stops working, the new one works.
        hanh.get_by_test_id("user-reset-password").click()
        page.get_by_test_id("reset-password-input").fill("mat-khau-moi-cua-hanh")
        page.get_by_test_id("reset-password-submit").click()
        expect(page.get_by_test_id("reset-password-dialog")).to_have_count(0)
        assert _login(base_url, "hanh.tt", "mat-khau-hanh-1").status_code == 401
        assert _login(base_url, "hanh.tt", "mat-khau-moi-cua-hanh").status_code == 200

        # Disable to.chuc: he cannot log in; enable again.
        row.get_by_test_id("user-disable").click()
        page.get_by_test_id("dialog-confirm").click()
        expect(row.get_by_test_id("user-status")).to_have_text("Đã khóa")
        assert _login(base_url, "to.chuc", "mat-khau-to-chuc-1").status_code == 401
        page.screenshot(path=str(tmp_path / "accounts-desktop.png"), full_page=True)
        row.get_by_test_id("user-enable").click()
        expect(row.get_by_test_id("user-status")).to_have_text("Đang hoạt động")
        assert _login(base_url, "to.chuc", "mat-khau-to-chuc-1").status_code == 200

        # The only admin has no "disable" button for themself; the server refuses it anyway (409).
        expect(page.get_by_test_id("user-row").filter(has_text="admin").get_by_test_id("user-disable")).to_have_count(0)

        page.set_viewport_size(PHONE)
        page.screenshot(path=str(tmp_path / "accounts-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the accounts page is {width} px wide on a phone"
        unexpected = [e for e in console.errors if "status of 422" not in e]  # the refused form, on purpose
        assert unexpected == [], unexpected
    finally:
        context.close()


def test_lockout_says_for_how_long_in_browser(browser: Browser, live_system: LiveSystem) -> None:  # noqa: F811
    for _ in range(30):
        _login(live_system.base_url, "ke-do", "sai-mat-khau")
    context = browser.new_context(base_url=live_system.base_url, locale="vi-VN")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/#/login")
        page.get_by_test_id("login-username").fill("ke-do")
        page.get_by_test_id("login-password").fill("sai-mat-khau")
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_text(re.compile(r"thử lại sau \d+ giây"))).to_be_visible()
    finally:
        context.close()
