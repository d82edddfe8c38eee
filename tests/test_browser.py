"""A person's first minutes with a generated project, in a real browser.

Playwright drives Debian's Chromium (headless) through the default Django and
Flask projects served by gunicorn in production mode over HTTPS (a
self-signed certificate for 127.0.0.1, so Secure cookies, HSTS and the SSL
redirect stay exactly as shipped). Each step's page is saved as a screenshot
under ``artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import combos
import deploy
import pytest
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.browser

FRAMEWORKS = ["django", "flask"]
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests may run as root
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
USER = ("reader@example.com", "Long-enough-passphrase-42")
ADMIN = ("admin@example.com", "Another-long-passphrase-77")
WRONG_LOGIN = re.compile(r"correct|invalid|incorrect|wrong|match", re.IGNORECASE)


@pytest.fixture(scope="module")
def playwright_browser(chromium) -> Iterator[object]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Journey:
    """One browser context on the app, numbering its screenshots."""

    def __init__(self, app, browser, folder: Path) -> None:
        self.app, self.folder = app, folder
        self.context = browser.new_context(ignore_https_errors=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" else None,
        )

    def shot(self, number: int, step: str) -> None:
        name = f"{self.app.answers['framework']}-{number:02d}-{step}.png"
        self.page.screenshot(path=str(self.folder / name), full_page=True)

    def open(self, path: str):
        return self.page.goto(self.app.url + path)

    def submit(self, values: dict[str, str]) -> None:
        """Fill a form's fields and submit it with Enter in the last one."""
        last = None
        for name, value in values.items():
            last = self.page.locator(f'form [name="{name}"]').first
            last.fill(value)
        assert last is not None
        with self.page.expect_navigation():
            last.press("Enter")

    def nav(self):
        return self.page.locator("nav").first

    def log_out(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Log out").click()

    def log_in(self, email: str, password: str) -> None:
        contract = self.app.contract
        self.open(contract.login)
        self.submit(dict(zip(contract.login_fields, (email, password), strict=True)))

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_sign_up_log_in_and_admin(
    framework, store, tls, playwright_browser, screenshots, tmp_path
):
    answers = combos.default_answers(framework)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with deploy.production_server(
        answers, store, tmp_path, database_url=url, tls=tls
    ) as app:
        contract = app.contract
        visitor = Journey(app, playwright_browser, screenshots)
        email, password = USER

        # 1. Sign up: the new user is logged in and sees their email.
        visitor.open(contract.signup)
        visitor.shot(1, "signup-form")
        fields = contract.signup_fields
        visitor.submit(dict(zip(fields, (email, password, password), strict=True)))
        visitor.shot(2, "signed-up")
        expect(visitor.nav()).to_contain_text(email)

        # 2. Log out: the email is gone from the navigation.
        visitor.log_out()
        visitor.shot(3, "logged-out")
        expect(visitor.nav()).not_to_contain_text(email)

        # 3. Log in again and see the logged-in page.
        visitor.log_in(email, password)
        visitor.shot(4, "logged-in")
        expect(visitor.nav()).to_contain_text(email)

        # 4. A wrong password shows an error and logs nobody in.
        visitor.log_out()
        visitor.log_in(email, "not-the-password")
        visitor.shot(5, "wrong-password")
        expect(visitor.page.locator("body")).to_contain_text(WRONG_LOGIN)
        expect(visitor.nav()).not_to_contain_text(email)

        # 5. A user who is not an admin is refused the admin.
        visitor.log_in(email, password)
        response = visitor.open(contract.admin_users)
        visitor.shot(6, "admin-refused")
        refused = response.status == 403 or "/login" in visitor.page.url
        assert refused, (
            f"a non-admin opened {contract.admin_users}: {response.status}"
            f" at {visitor.page.url}"
        )
        expect(visitor.page.locator("body")).not_to_contain_text(ADMIN[0])
        visitor.close()

        # 6. An admin opens the admin and sees the users list.
        deploy.create_admin(answers, app.project, app.env, *ADMIN)
        admin = Journey(app, playwright_browser, screenshots)
        admin.log_in(*ADMIN)
        expect(admin.nav()).to_contain_text(ADMIN[0])
        response = admin.open(contract.admin)
        assert response.status == 200, response.status
        admin.shot(7, "admin-home")
        response = admin.open(contract.admin_users)
        assert response.status == 200, response.status
        admin.shot(8, "admin-users")
        expect(admin.page.locator("body")).to_contain_text(email)
        expect(admin.page.locator("body")).to_contain_text(ADMIN[0])
        admin.close()
