"""A person's first minutes with a generated project, in a real browser.

Playwright drives Debian's Chromium (headless) through the default Django and
Flask projects served by gunicorn in production mode over HTTPS (a
self-signed certificate for 127.0.0.1, so Secure cookies, HSTS and the SSL
redirect stay exactly as shipped). Each step's page is saved as a screenshot
under ``artifacts/screenshots/`` for a person to look at; the first pages a
visitor sees, on a desktop and a phone screen in light and dark mode, go to
``artifacts/screenshots/pages/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import combos
import deploy
import mailserver
import pytest
from playwright.sync_api import expect, sync_playwright
from servers import axe_violations

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


def fill_and_enter(page, values: dict[str, str]) -> None:
    """Fill a form's fields and submit it with Enter in the last one."""
    last = None
    for name, value in values.items():
        last = page.locator(f'form [name="{name}"]').first
        last.fill(value)
    assert last is not None
    with page.expect_navigation():
        last.press("Enter")


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
        fill_and_enter(self.page, values)

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


@pytest.fixture
def mailbox() -> Iterator[mailserver.Mailbox]:
    """The SMTP server the project sends its emails to."""
    with mailserver.smtp_server() as mail:
        yield mail


def confirm_sign_up(
    page, app, mail: mailserver.Mailbox, email: str, password: str
) -> None:
    """Follow the link sign-up emails, as the new user would: Django's page
    asks for the password and logs in; Flask's confirms the address, and the
    user then logs in."""
    contract = app.contract
    page.goto(app.url + mailserver.link(mail.wait(email), contract.verify_link))
    if contract.verify_fields:
        fill_and_enter(page, dict.fromkeys(contract.verify_fields, password))
    else:
        page.goto(app.url + contract.login)
        login = zip(contract.login_fields, (email, password), strict=True)
        fill_and_enter(page, dict(login))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_sign_up_log_in_and_admin(
    framework, store, tls, playwright_browser, screenshots, tmp_path, mailbox
):
    answers = combos.default_answers(framework)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with deploy.production_server(
        answers, store, tmp_path, database_url=url, tls=tls, **mailbox.env()
    ) as app:
        contract = app.contract
        visitor = Journey(app, playwright_browser, screenshots)
        email, password = USER

        # 1. Sign up (and confirm the address from the email, where the
        #    project asks for that): the new user is logged in and sees
        #    their email.
        visitor.open(contract.signup)
        visitor.shot(1, "signup-form")
        fields = contract.signup_fields
        visitor.submit(dict(zip(fields, (email, password, password), strict=True)))
        confirm_sign_up(visitor.page, app, mailbox, email, password)
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


def test_flask_email_verification_password_reset_and_account(
    store, tls, playwright_browser, screenshots, tmp_path, mailbox
):
    """A Flask account from sign-up to deletion, through the links the
    project emails (to an SMTP server of the test)."""
    answers = combos.default_answers("flask")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with deploy.production_server(
        answers, store, tmp_path, database_url=url, tls=tls, **mailbox.env()
    ) as app:
        visitor = Journey(app, playwright_browser, screenshots)
        body = visitor.page.locator("body")
        email, password = "grace@example.com", "Long-enough-passphrase-42"
        new_password = "Brand-new-passphrase-17"

        # 1. Sign up: a link is sent; the account does not open before it.
        visitor.open("/auth/signup")
        visitor.submit({"email": email, "password": password, "confirm": password})
        expect(body).to_contain_text(f"We sent a message to {email}")
        visitor.shot(11, "verification-sent")
        visitor.log_in(email, password)
        expect(body).to_contain_text("Please confirm your email address first")
        visitor.shot(12, "unverified-login")

        # 2. The link confirms the address; the account opens.
        verify = mailserver.link(mailbox.wait(email), "/auth/verify/")
        visitor.open(verify)
        expect(body).to_contain_text("Your email address is confirmed.")
        visitor.shot(13, "verified")
        visitor.log_in(email, password)
        expect(visitor.nav()).to_contain_text(email)
        visitor.log_out()

        # 3. Forgotten password: from the login page's link to a new password.
        visitor.open("/auth/login")
        with visitor.page.expect_navigation():
            visitor.page.get_by_role("link", name="Forgot your password?").click()
        visitor.shot(14, "reset-request")
        visitor.submit({"email": email})
        expect(body).to_contain_text("If this address has an account")
        visitor.shot(15, "reset-sent")
        reset = mailserver.link(mailbox.wait(email, count=3), "/auth/reset/")
        visitor.open(reset)
        visitor.shot(16, "reset-form")
        visitor.submit({"password": new_password, "confirm": new_password})
        expect(body).to_contain_text("Your password was changed.")
        visitor.shot(17, "reset-done")
        # The link works once.
        visitor.open(reset)
        expect(body).to_contain_text("This link is invalid or has expired.")

        # 4. The account page, from the navigation: delete the account.
        visitor.log_in(email, new_password)
        with visitor.page.expect_navigation():
            visitor.nav().get_by_role("link", name="Account").click()
        expect(body).to_contain_text(email)
        visitor.shot(18, "account")
        visitor.page.locator('form [name="password"]').fill(new_password)
        with visitor.page.expect_navigation():
            visitor.page.get_by_role("button", name="Delete my account").click()
        expect(body).to_contain_text("Your account was deleted.")
        visitor.shot(19, "account-deleted")
        visitor.log_in(email, new_password)
        expect(body).to_contain_text(WRONG_LOGIN)
        assert not visitor.errors, visitor.errors
        visitor.close()


# --------------------------------------------------------------------------
# The first pages, on every screen: look, layout, accessibility, policy

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
COLOR_SCHEMES = ("light", "dark")
# Both projects send a Content-Security-Policy of their own; a response
# without one (none is expected) is loaded under this strict policy, which
# blocks any inline style or script.
STRICT_POLICY = (
    "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


def add_strict_policy(route) -> None:
    """Serve a page with STRICT_POLICY unless it carries a policy already."""
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch(max_redirects=0)
    headers = dict(response.headers)
    headers.setdefault("content-security-policy", STRICT_POLICY)
    route.fulfill(response=response, headers=headers)


def open_menu_with_the_keyboard(page) -> None:
    """Tab to the menu toggle and press Space, as a keyboard user would."""
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "nav-toggle":
            break
    else:
        raise AssertionError("the menu toggle is not reachable with Tab")
    label = page.locator("label[for=nav-toggle]")
    outline = label.evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline != "none", "the focused menu toggle shows no focus ring"
    page.keyboard.press("Space")


class Screen:
    """One browser context at one size and colour scheme, recording what the
    console reports and which requests fail."""

    def __init__(self, browser, width: int, height: int, scheme: str) -> None:
        self.context = browser.new_context(
            ignore_https_errors=True,
            viewport={"width": width, "height": height},
            color_scheme=scheme,
        )
        self.context.route("**/*", add_strict_policy)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.console: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"error: {e}"))
        self.page.on("response", self._record_failure)

    def _record_failure(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def open(self, url: str):
        self.console.clear()
        self.failed.clear()
        return self.page.goto(url)

    def problems(self) -> list[str]:
        """Console errors and warnings, CSP refusals included, other than the
        report of a failed request (checked with ``failed``)."""
        return [
            m
            for m in self.console
            if m.startswith(("error:", "warning:"))
            and "Failed to load resource" not in m
        ]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_first_pages_on_every_screen(
    framework, store, tls, playwright_browser, axe_source, screenshots, tmp_path
):
    """Home, sign-up, log-in and an error page at desktop and phone widths in
    light and dark mode: screenshots, no sideways scrolling, a menu that is
    collapsed on a phone and opens from the keyboard, no axe-core violation,
    and nothing blocked by the Content-Security-Policy."""
    answers = combos.default_answers(framework)
    folder = screenshots / "pages"
    folder.mkdir(exist_ok=True)
    print(f"screenshots of the first pages: {folder}")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with (
        mailserver.smtp_server() as mail,
        deploy.production_server(
            answers, store, tmp_path, database_url=url, tls=tls, **mail.env()
        ) as app,
    ):
        contract = app.contract
        pages = {
            "home": ("/", 200),
            "signup": (contract.signup, 200),
            "login": (contract.login, 200),
            "error": ("/no-such-page/", 404),
        }
        backgrounds = {}
        for scheme in COLOR_SCHEMES:
            for size, (width, height) in VIEWPORTS.items():
                screen = Screen(playwright_browser, width, height, scheme)
                page = screen.page
                for name, (path, status) in pages.items():
                    where = f"{framework} {name} {size} {scheme}"
                    shot = folder / f"{framework}-{name}-{size}-{scheme}"
                    response = screen.open(app.url + path)
                    assert response.status == status, where
                    policy = response.headers.get("content-security-policy", "")
                    if framework == "flask":
                        assert policy != STRICT_POLICY, "Flask sends its own policy"
                    assert "default-src 'self'" in policy, where
                    page.screenshot(path=f"{shot}.png", full_page=True)

                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 0, f"{where}: scrolls {overflow}px sideways"
                    assert axe_violations(page, axe_source) == [], where
                    backgrounds[scheme] = page.evaluate(
                        "getComputedStyle(document.documentElement).backgroundColor"
                    )

                    nav = page.get_by_role("navigation")
                    log_in = nav.get_by_role("link", name="Log in", exact=True)
                    toggle = page.locator("label[for=nav-toggle]")
                    if size == "phone":
                        expect(toggle).to_be_visible()
                        expect(log_in).to_be_hidden()
                        open_menu_with_the_keyboard(page)
                        expect(log_in).to_be_visible()
                        page.screenshot(path=f"{shot}-menu.png")
                        page.keyboard.press("Space")
                        expect(log_in).to_be_hidden()
                    else:
                        expect(toggle).to_be_hidden()
                        expect(log_in).to_be_visible()

                    # Only the error page itself failed (no missing favicon),
                    # and the policy refused nothing.
                    own = [f"{status} {app.url}{path}"] if status >= 400 else []
                    assert screen.failed == own, where
                    assert screen.problems() == [], where
                screen.context.close()
        assert backgrounds["light"] != backgrounds["dark"], backgrounds

        # Signed in on a phone: the longer menu stays folded into one bar.
        screen = Screen(playwright_browser, *VIEWPORTS["phone"], "light")
        page = screen.page
        screen.open(app.url + contract.signup)
        email, password = USER
        values = (email, password, password)
        for name, value in zip(contract.signup_fields, values, strict=True):
            page.locator(f'form [name="{name}"]').first.fill(value)
        with page.expect_navigation():
            page.locator(f'form [name="{name}"]').first.press("Enter")
        confirm_sign_up(page, app, mail, email, password)
        user = page.get_by_role("navigation").get_by_text(email)
        expect(user).to_be_hidden()
        header = page.locator("header").bounding_box()
        assert header is not None and header["height"] < 80, header
        # "account created" (or "address confirmed")
        expect(page.locator(".messages")).to_be_visible()
        assert axe_violations(page, axe_source) == []
        open_menu_with_the_keyboard(page)
        expect(user).to_be_visible()
        page.screenshot(path=f"{folder}/{framework}-signed-in-phone-light-menu.png")
        assert screen.problems() == []
        screen.context.close()


# --------------------------------------------------------------------------
# Flask-Admin under the project's Content-Security-Policy

#: What axe-core checks on the admin's pages: the ones the project's own
#: stylesheet and base template answer for (Flask-Admin's table markup, e.g.
#: its unlabelled row checkboxes and unnamed action column, is its own).
ADMIN_AXE_RULES = ("html-has-lang", "color-contrast", "page-has-heading-one")


def test_flask_admin_confirms_deletes_under_the_policy(
    store, tls, playwright_browser, axe_source, screenshots, tmp_path
):
    """Flask-Admin confirms a delete and a "With selected" action with inline
    ``onclick`` handlers: under the policy they must still ask (dismissing
    keeps the record, accepting deletes it), with nothing else let through."""
    answers = combos.default_answers("flask")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with deploy.production_server(
        answers, store, tmp_path, database_url=url, tls=tls
    ) as app:
        visitor = Journey(app, playwright_browser, screenshots)
        authors = ["Ada", "Grace", "Linus"]
        for author in authors:
            visitor.open("/")
            visitor.submit({"body": f"A message from {author}", "author": author})
        visitor.close()
        deploy.create_admin(answers, app.project, app.env, *ADMIN)
        admin = Journey(app, playwright_browser, screenshots)
        page = admin.page
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) =>"
            " console.error('Content Security Policy blocked ' + e.blockedURI))"
        )
        asked: list[str] = []
        answer = {"accept": False}

        def on_dialog(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if answer["accept"] else dialog.dismiss()

        page.on("dialog", on_dialog)
        admin.log_in(*ADMIN)
        response = admin.open("/admin/message/")
        assert response.status == 200, response.status
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy, policy
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(3)
        page.screenshot(path=str(screenshots / "flask-admin-01-list.png"))

        # The page names its language, has a heading, reaches AA contrast and
        # repeats no id (each row carries its own delete form).
        assert page.evaluate("document.documentElement.lang") == "en"
        page.evaluate(axe_source)
        found = page.evaluate(
            """async (rules) => (await axe.run(document, {runOnly: rules}))
                .violations.map((v) => v.id)""",
            list(ADMIN_AXE_RULES),
        )
        assert found == []
        duplicates = page.evaluate(
            """() => {
                const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
                return ids.filter((id, i) => ids.indexOf(id) !== i);
            }"""
        )
        assert duplicates == []

        # The trash button asks first; "Cancel" keeps the message.
        row = rows.filter(has_text="Ada")
        row.get_by_title("Delete record").click()
        page.wait_for_timeout(500)
        assert asked == ["Are you sure you want to delete this record?"]
        expect(rows).to_have_count(3)
        # "OK" deletes it.
        answer["accept"] = True
        with page.expect_navigation():
            row.get_by_title("Delete record").click()
        expect(page.locator(".alert")).to_contain_text("successfully deleted")
        expect(rows).to_have_count(2)
        page.screenshot(path=str(screenshots / "flask-admin-02-deleted.png"))

        # "With selected" -> "Delete" asks too, then deletes the ticked rows.
        answer["accept"] = False
        rows.filter(has_text="Grace").locator("input.action-checkbox").check()
        page.get_by_role("button", name="With selected").click()
        page.get_by_role("link", name="Delete").click()
        page.wait_for_timeout(500)
        assert asked[-1] == "Are you sure you want to delete selected records?"
        expect(rows).to_have_count(2)
        answer["accept"] = True
        page.get_by_role("button", name="With selected").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Delete").click()
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Linus")
        page.screenshot(path=str(screenshots / "flask-admin-03-bulk-deleted.png"))
        assert len(asked) == 4, asked
        assert admin.errors == [], admin.errors
        admin.close()
