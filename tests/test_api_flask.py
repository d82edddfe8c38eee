"""The Flask starter's REST API (``--api rest``) served by gunicorn in
production mode over HTTPS: its OpenAPI document passes
openapi-spec-validator, a script's token and anonymous requests get what
they should, and the docs page works in Chromium under the project's own
Content-Security-Policy, with every file served by the app."""

from __future__ import annotations

import http.client
import json
from typing import Any

import combos
import deploy
import pytest
from openapi_spec_validator import validate
from playwright.sync_api import expect
from shell import run
from test_browser import ADMIN, Journey, playwright_browser  # noqa: F401

pytestmark = pytest.mark.browser

ANSWERS = combos.default_answers("flask", api="rest")
#: The operations of the example API, as Swagger UI lists them.
OPERATIONS = {
    ("GET", "/api/me"),
    ("GET", "/api/notes/"),
    ("POST", "/api/notes/"),
    ("GET", "/api/notes/{note_id}/"),
    ("PUT", "/api/notes/{note_id}/"),
    ("PATCH", "/api/notes/{note_id}/"),
    ("DELETE", "/api/notes/{note_id}/"),
}


def call(
    app, method: str, path: str, *, token: str | None = None, body: Any = None
) -> tuple[int, http.client.HTTPMessage, Any]:
    """A request as a script sends it: JSON, with a bearer token if given."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPSConnection(
        "127.0.0.1",
        app.server.port,
        timeout=30,
        context=app.server.tls.client_context(),
    )
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read().decode()
        assert response.getheader("Content-Type", "").startswith("application/json"), (
            raw[:300]
        )
        return response.status, response.headers, json.loads(raw) if raw else None
    finally:
        connection.close()


def test_flask_api_document_tokens_and_docs_page(
    store,
    tls,
    playwright_browser,  # noqa: F811 (the fixture imported above)
    screenshots,
    tmp_path,
):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with deploy.production_server(
        ANSWERS, store, tmp_path, database_url=url, tls=tls
    ) as app:
        # The document is valid OpenAPI 3 and lists every operation.
        status, _, document = call(app, "GET", "/api/openapi.json")
        assert status == 200
        validate(document)
        listed = {
            (method.upper(), path)
            for path, operations in document["paths"].items()
            for method in operations
            if method != "parameters"
        }
        assert listed == OPERATIONS

        # A script: refused without a token, served with one made by the
        # documented command.
        status, headers, error = call(app, "POST", "/api/notes/", body={"title": "x"})
        assert (status, error["code"]) == (401, 401)
        assert headers["WWW-Authenticate"] == "Bearer"
        deploy.create_admin(ANSWERS, app.project, app.env, *ADMIN)
        made = run(["flask", "api-token", ADMIN[0]], cwd=app.project, env=app.env)
        token = made.output.strip().splitlines()[-1]
        status, _, note = call(
            app, "POST", "/api/notes/", token=token, body={"title": "From a script"}
        )
        assert status == 201, note
        status, _, error = call(app, "POST", "/api/notes/", token=token, body={})
        assert status == 400
        assert "title" in error["errors"]["json"]
        status, _, error = call(app, "GET", "/api/no-such-thing", token=token)
        assert (status, error["code"]) == (404, 404)

        # The docs page in the browser, logged in with the session.
        visitor = Journey(app, playwright_browser, screenshots)
        page = visitor.page
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) =>"
            " console.error('Content Security Policy blocked ' + e.blockedURI"
            " + ' (' + e.violatedDirective + ')'))"
        )
        requested: list[str] = []
        failed: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.on(
            "response",
            lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        visitor.log_in(*ADMIN)
        home_policy = visitor.open("/").headers["content-security-policy"]
        response = visitor.open("/api/docs/")
        assert response.status == 200
        # The docs page runs under the very policy of the other pages.
        assert response.headers["content-security-policy"] == home_policy
        operations = page.locator(".opblock")
        expect(operations).to_have_count(len(OPERATIONS))
        shown = {
            (
                block.locator(".opblock-summary-method").inner_text().strip(),
                block.locator(".opblock-summary-path").inner_text().strip(),
            )
            for block in operations.all()
        }
        shown = {(method, path.replace("\u200b", "")) for method, path in shown}
        assert shown == OPERATIONS
        visitor.shot(31, "api-docs")

        # "Try it out" on the create operation: the page's request carries
        # the session's CSRF token, and the note is made.
        create = page.locator(".opblock-post").first
        create.locator(".opblock-summary").click()
        create.get_by_role("button", name="Try it out").click()
        create.locator("textarea.body-param__text").fill(
            json.dumps({"title": "From the docs page", "body": "tried out"})
        )
        create.get_by_role("button", name="Execute").click()
        expect(
            create.locator(".live-responses-table tbody .response-col_status").first
        ).to_contain_text("201")
        visitor.shot(32, "api-docs-tried")
        status, _, notes = call(app, "GET", "/api/notes/", token=token)
        assert [n["title"] for n in notes["results"]] == [
            "From the docs page",
            "From a script",
        ]

        assert not visitor.errors, visitor.errors
        assert not failed, failed
        foreign = [u for u in requested if not u.startswith(app.url)]
        assert not foreign, f"requests outside the app: {foreign}"
        assert any(u.endswith("/api/docs/swagger-ui-bundle.js") for u in requested)
        visitor.close()
