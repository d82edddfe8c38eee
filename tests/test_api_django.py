"""The Django project's REST API (``--api rest``) deployed: gunicorn in
production mode over HTTPS, its OpenAPI document checked with
openapi-spec-validator, a token made with the project's own command, and its
docs page driven in Chromium under the site's Content-Security-Policy (every
asset from the app, nothing refused, no failed request)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import combos
import deploy
import pytest
from openapi_spec_validator import validate
from playwright.sync_api import expect, sync_playwright
from shell import run

pytestmark = pytest.mark.browser

ANSWERS = {**combos.default_answers("django"), "api": "rest"}
USER = ("api-user@example.com", "Long-enough-passphrase-42")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--no-first-run"]

#: Every operation the docs page must list: (method, path).
OPERATIONS = {
    ("GET", "/api/notes/"),
    ("POST", "/api/notes/"),
    ("GET", "/api/notes/{id}/"),
    ("PUT", "/api/notes/{id}/"),
    ("PATCH", "/api/notes/{id}/"),
    ("DELETE", "/api/notes/{id}/"),
    ("GET", "/api/me"),
}


@pytest.fixture(scope="module")
def app(store, tls, tmp_path_factory) -> Iterator[deploy.Deployed]:
    workdir = tmp_path_factory.mktemp("api-django")
    url = f"sqlite:///{workdir / 'db.sqlite3'}"
    with deploy.production_server(
        ANSWERS, store, workdir, database_url=url, tls=tls
    ) as deployed:
        deploy.create_admin(ANSWERS, deployed.project, deployed.env, *USER)
        yield deployed


@pytest.fixture(scope="module")
def browser(chromium) -> Iterator[object]:
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def api_token(app: deploy.Deployed, email: str) -> str:
    """A token from ``manage.py api_token``, as the README tells a user."""
    made = run(
        ["python", "manage.py", "api_token", email], cwd=app.project, env=app.env
    )
    # The project logs to stdout too (a line as the app starts): the token is
    # the command's last line.
    token = made.output.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", token), made.output
    return token


def test_openapi_document_and_token_over_https(app, browser) -> None:
    context = browser.new_context(ignore_https_errors=True)
    try:
        anonymous = context.request
        document = anonymous.get(f"{app.url}/api/openapi.json")
        assert document.status == 200
        spec = document.json()
        validate(spec)
        listed = {
            (method.upper(), path)
            for path, item in spec["paths"].items()
            for method in item
        }
        assert listed == OPERATIONS

        refused = anonymous.get(f"{app.url}/api/notes/")
        assert refused.status == 401
        assert refused.headers["content-type"] == "application/json"
        assert refused.headers["www-authenticate"] == 'Bearer realm="api"'
        unknown = anonymous.get(f"{app.url}/api/no/such/thing")
        assert (unknown.status, unknown.json()) == (404, {"detail": "Not found."})

        token = api_token(app, USER[0])
        bearer = {"Authorization": f"Bearer {token}"}
        me = anonymous.get(f"{app.url}/api/me", headers=bearer)
        assert me.status == 200 and me.json()["email"] == USER[0]
        created = anonymous.post(
            f"{app.url}/api/notes/", headers=bearer, data={"title": "From a script"}
        )
        assert created.status == 201, created.text()
        bad = anonymous.post(f"{app.url}/api/notes/", headers=bearer, data={"body": 1})
        assert bad.status == 400 and "title" in bad.json()
        stranger = {"Authorization": "Bearer not-a-token"}
        wrong = anonymous.get(f"{app.url}/api/me", headers=stranger)
        assert wrong.status == 401 and wrong.json() == {"detail": "Invalid token."}
    finally:
        context.close()


def test_docs_page_in_the_browser(app, browser, screenshots) -> None:
    """The docs page lists every operation with all its assets from the app
    and nothing refused by the policy; a logged-in user's "Try it out" write
    goes through with the session and its CSRF token, while the same write
    without the token is refused."""
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    requested: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " console.error('Content Security Policy blocked ' + e.blockedURI"
        " + ' (' + e.violatedDirective + ')'))"
    )
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("request", lambda r: requested.append(r.url))

    def failed(request) -> None:
        problems.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on(
        "response",
        lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )
    try:
        # Log in with the site's own form.
        page.goto(f"{app.url}/accounts/login/")
        page.locator('form [name="username"]').fill(USER[0])
        page.locator('form [name="password"]').fill(USER[1])
        with page.expect_navigation():
            page.locator('form [name="password"]').press("Enter")

        response = page.goto(f"{app.url}/api/docs/")
        assert response is not None and response.status == 200
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        home = context.request.get(f"{app.url}/")
        assert home.headers["content-security-policy"] == policy

        blocks = page.locator(".opblock")
        expect(blocks).to_have_count(len(OPERATIONS))
        shown = set()
        for index in range(blocks.count()):
            block = blocks.nth(index)
            method = block.locator(".opblock-summary-method").inner_text().strip()
            path = block.locator(".opblock-summary-path").get_attribute("data-path")
            shown.add((method.upper(), path))
        assert shown == OPERATIONS
        page.screenshot(path=str(screenshots / "django-api-docs.png"), full_page=True)

        # "Try it out" on POST /api/notes/: the session and the CSRF token.
        create = page.locator(".opblock-post").filter(has_text="/api/notes/").first
        create.locator(".opblock-summary").click()
        create.get_by_role("button", name="Try it out").click()
        create.locator("textarea.body-param__text").fill(
            json.dumps({"title": "From the docs page", "body": "Tried it out"})
        )
        create.get_by_role("button", name="Execute").click()
        status = create.locator(
            ".live-responses-table tbody .response-col_status"
        ).first
        expect(status).to_have_text("201")
        page.screenshot(path=str(screenshots / "django-api-docs-tried.png"))

        notes = context.request.get(f"{app.url}/api/notes/").json()
        titles = [note["title"] for note in notes["results"]]
        assert titles[0] == "From the docs page", titles

        # The same session without the CSRF token, as a forged cross-site
        # request would send it: refused, in JSON.
        forged = context.request.post(f"{app.url}/api/notes/", data={"title": "Forged"})
        assert forged.status == 403
        assert "CSRF" in forged.json()["detail"]
    finally:
        # Closing aborts any request still in flight (such as a favicon the
        # browser fetches late): not a failure of the app, so stop listening
        # for failed requests first.
        page.remove_listener("requestfailed", failed)
        context.close()

    assert problems == []
    origin = urlsplit(app.url).netloc
    assert requested
    assert all(urlsplit(url).netloc == origin for url in requested), requested
    # drf-spectacular-sidecar's Swagger UI, collected with hashed names.
    sidecar = f"https://{origin}/static/drf_spectacular_sidecar/swagger-ui-dist/"
    for asset in (
        r"swagger-ui-bundle\.[0-9a-f]{12}\.js",
        r"swagger-ui\.[0-9a-f]{12}\.css",
    ):
        pattern = re.compile(re.escape(sidecar) + asset)
        assert any(pattern.fullmatch(url) for url in requested), requested
