"""The REST API: each user's notes through a token or the login session,
CSRF on session writes, JSON errors, pagination, throttling and the OpenAPI
document with its docs page."""

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy import select
from werkzeug.test import TestResponse

from {{ cookiecutter.project_slug }}.api_models import ApiToken, Note
from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.security import CONTENT_SECURITY_POLICY
from {{ cookiecutter.project_slug }}.users import User

ADA = "ada@example.com"
BOB = "bob@example.com"


def add_user(app: Flask, email: str) -> User:
    with app.app_context():
        user = User(email=email, email_verified=True)
        user.set_password("correct-horse-battery")
        db.session.add(user)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
    return user


def new_token(app: Flask, email: str) -> str:
    """A token made the documented way: ``flask api-token EMAIL``."""
    result = app.test_cli_runner().invoke(args=["api-token", email])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert re.fullmatch(r"[\w-]{40,}", token)
    return token


class ApiClient:
    """Requests to the API with one user's token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        return self.client.open(path, method=method, headers=self.headers, **kwargs)

    def create(self, title: str = "First", body: str = "") -> dict[str, Any]:
        response = self.call("POST", "/api/notes/", json={"title": title, "body": body})
        assert response.status_code == 201, response.json
        note: dict[str, Any] = response.json or {}
        return note


@pytest.fixture
def ada(app: Flask, client: FlaskClient) -> ApiClient:
    add_user(app, ADA)
    return ApiClient(client, new_token(app, ADA))


@pytest.fixture
def bob(app: Flask, client: FlaskClient) -> ApiClient:
    add_user(app, BOB)
    return ApiClient(client, new_token(app, BOB))


def assert_json_error(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.json or {}
    assert body["code"] == status
    assert body["message"]
    return body


def test_notes_crud_with_a_token(ada: ApiClient) -> None:
    note = ada.create("Shopping", "eggs")
    assert note["title"] == "Shopping"
    assert note["body"] == "eggs"
    url = f"/api/notes/{note['id']}/"
    assert ada.call("GET", url).json == note

    replaced = ada.call("PUT", url, json={"title": "Groceries"})
    assert replaced.status_code == 200
    assert replaced.json is not None
    assert (replaced.json["title"], replaced.json["body"]) == ("Groceries", "")

    patched = ada.call("PATCH", url, json={"body": "milk"})
    assert patched.status_code == 200
    assert patched.json is not None
    assert (patched.json["title"], patched.json["body"]) == ("Groceries", "milk")

    listed = ada.call("GET", "/api/notes/").json
    assert listed is not None
    assert listed["count"] == 1
    assert [n["id"] for n in listed["results"]] == [note["id"]]

    assert ada.call("DELETE", url).status_code == 204
    assert_json_error(ada.call("GET", url), 404)
    assert ada.call("GET", "/api/notes/").json == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_me(ada: ApiClient) -> None:
    me = ada.call("GET", "/api/me")
    assert me.status_code == 200
    assert me.json is not None
    assert me.json["email"] == ADA
    assert set(me.json) == {"id", "email"}


def test_a_user_sees_and_changes_only_their_own_notes(
    ada: ApiClient, bob: ApiClient
) -> None:
    note = ada.create("Ada's secret", "private")
    url = f"/api/notes/{note['id']}/"
    for method, data in [
        ("GET", None),
        ("PUT", {"title": "Bob was here"}),
        ("PATCH", {"body": "Bob was here"}),
        ("DELETE", None),
    ]:
        assert_json_error(bob.call(method, url, json=data), 404)
    listed = bob.call("GET", "/api/notes/").json
    assert listed is not None
    assert listed["count"] == 0
    # Ada's note is untouched.
    assert ada.call("GET", url).json == note


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/notes/"),
        ("POST", "/api/notes/"),
        ("GET", "/api/notes/1/"),
        ("DELETE", "/api/notes/1/"),
        ("GET", "/api/me"),
    ],
)
def test_anonymous_requests_are_refused(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method, json={"title": "Spam"})
    assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Bearer ", "Basic YWRhOnNlY3JldA==", "Token x"]
)
def test_wrong_credentials_are_refused(
    ada: ApiClient, client: FlaskClient, header: str
) -> None:
    ada.create()
    response = client.get("/api/notes/", headers={"Authorization": header})
    assert_json_error(response, 401)


def test_only_a_digest_of_the_token_is_stored(app: Flask, client: FlaskClient) -> None:
    add_user(app, ADA)
    first = new_token(app, ADA)
    second = new_token(app, ADA)
    assert first != second
    with app.app_context():
        digests = db.session.scalars(select(ApiToken.digest)).all()
    assert len(digests) == 2
    assert first not in digests
    assert second not in digests
    # Either token works.
    for token in (first, second):
        response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200


def test_revoked_tokens_stop_working(
    app: Flask, ada: ApiClient, bob: ApiClient
) -> None:
    result = app.test_cli_runner().invoke(args=["api-token", "--revoke", ADA])
    assert result.exit_code == 0, result.output
    assert_json_error(ada.call("GET", "/api/me"), 401)
    # Only Ada's tokens ended.
    assert bob.call("GET", "/api/me").status_code == 200


def test_api_token_command_refuses_an_unknown_address(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["api-token", "nobody@example.com"])
    assert result.exit_code != 0
    assert "no account for nobody@example.com" in result.output


def test_deleting_the_account_deletes_its_notes_and_tokens(
    app: Flask, ada: ApiClient
) -> None:
    ada.create()
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == ADA)).one()
        db.session.delete(user)
        db.session.commit()
{%- if cookiecutter.database == "sqlite" %}
    # SQLite enforces foreign keys only when asked (PRAGMA foreign_keys);
    # the servers cascade the deletion themselves.
{%- else %}
{% include "tests/api_deletion_cascades.py" %}
{%- endif %}
    assert_json_error(ada.call("GET", "/api/notes/"), 401)


def session_client(app: Flask, email: str) -> FlaskClient:
    """A browser logged in as ``email`` (through the login page)."""
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"email": email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    return client


def docs_csrf_token(client: FlaskClient) -> str:
    html = client.get("/api/docs/").get_data(as_text=True)
    found = re.search(r'data-csrf-token="([^"]+)"', html)
    assert found, "no CSRF token on the docs page"
    return found.group(1)


def test_session_writes_need_the_csrf_token(app: Flask) -> None:
    add_user(app, ADA)
    browser = session_client(app, ADA)
    app.config["WTF_CSRF_ENABLED"] = True
    # Reads need no token.
    assert browser.get("/api/me").status_code == 200
    refused = browser.post("/api/notes/", json={"title": "Forged"})
    body = assert_json_error(refused, 400)
    assert "CSRF" in body["message"]
    wrong = browser.post(
        "/api/notes/", json={"title": "Forged"}, headers={"X-CSRFToken": "wrong"}
    )
    assert_json_error(wrong, 400)
    with app.app_context():
        assert db.session.scalars(select(Note)).all() == []

    token = docs_csrf_token(browser)
    # Over HTTPS, Flask-WTF also wants the page the request came from (as
    # browsers send it).
    browser.environ_base["HTTP_REFERER"] = "https://localhost/api/docs/"
    created = browser.post(
        "/api/notes/", json={"title": "Mine"}, headers={"X-CSRFToken": token}
    )
    assert created.status_code == 201, created.json
    assert created.json is not None
    deleted = browser.delete(
        f"/api/notes/{created.json['id']}/", headers={"X-CSRFToken": token}
    )
    assert deleted.status_code == 204


def test_token_requests_need_no_csrf_token(app: Flask, ada: ApiClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    ada.create("From a script")


def test_a_token_request_ignores_the_session(app: Flask, bob: ApiClient) -> None:
    """A bad token is refused even from a logged-in browser (and a good one
    speaks for its own user)."""
    add_user(app, ADA)
    browser = session_client(app, ADA)
    bad = browser.get("/api/me", headers={"Authorization": "Bearer wrong"})
    assert_json_error(bad, 401)
    good = browser.get("/api/me", headers=bob.headers)
    assert good.json is not None
    assert good.json["email"] == BOB


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": 5}, "title"),
        ({"title": "Fine", "body": ["not", "text"]}, "body"),
        ({"title": "Fine", "owner_id": 1}, "owner_id"),
    ],
)
def test_invalid_data_gets_400_with_field_errors(
    ada: ApiClient, data: dict[str, Any], field: str
) -> None:
    body = assert_json_error(ada.call("POST", "/api/notes/", json=data), 400)
    assert field in body["errors"]["json"]


def test_invalid_changes_get_400(ada: ApiClient) -> None:
    url = f"/api/notes/{ada.create()['id']}/"
    body = assert_json_error(ada.call("PATCH", url, json={"title": ""}), 400)
    assert "title" in body["errors"]["json"]
    body = assert_json_error(ada.call("PUT", url, json={"body": "no title"}), 400)
    assert "title" in body["errors"]["json"]


def test_body_that_is_not_json_gets_400(ada: ApiClient) -> None:
    response = ada.call(
        "POST", "/api/notes/", data="{not json", content_type="application/json"
    )
    assert_json_error(response, 400)


def test_errors_are_json_under_api_only(ada: ApiClient, client: FlaskClient) -> None:
    assert_json_error(client.get("/api/no-such-thing"), 404)
    assert_json_error(ada.call("GET", "/api/notes/999999/"), 404)
    wrong_method = ada.call("DELETE", "/api/notes/")
    assert_json_error(wrong_method, 405)
    assert "POST" in wrong_method.headers["Allow"]
    assert_json_error(client.put("/api/me"), 405)
    # The site keeps its error pages.
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.mimetype == "text/html"


def test_server_errors_are_json(
    app: Flask, ada: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in production: the error is answered, not raised into the test.
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(db.session, "scalar", broken)
    response = ada.call("GET", "/api/notes/1/")
    body = assert_json_error(response, 500)
    assert "planted" not in response.get_data(as_text=True)
    assert body["status"] == "Internal Server Error"


def test_pagination(app: Flask, ada: ApiClient) -> None:
    ada.create("first")
    with app.app_context():
        owner_id = db.session.scalars(select(User.id).where(User.email == ADA)).one()
        db.session.add_all(
            Note(owner_id=owner_id, title=f"note {n}") for n in range(2, 46)
        )
        db.session.commit()
    first = ada.call("GET", "/api/notes/").json
    assert first is not None
    assert first["count"] == 45
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("://localhost/api/notes/?page=2")
    assert first["results"][0]["title"] == "note 45"  # newest first

    last = ada.call("GET", "/api/notes/?page=3").json
    assert last is not None
    assert len(last["results"]) == 5
    assert last["next"] is None
    assert last["previous"].endswith("://localhost/api/notes/?page=2")
    assert last["results"][-1]["title"] == "first"
    seen = {n["id"] for page in (1, 2, 3) for n in page_results(ada, page)}
    assert len(seen) == 45

    assert_json_error(ada.call("GET", "/api/notes/?page=4"), 404)
    for bad in ("0", "-1", "two"):
        body = assert_json_error(ada.call("GET", f"/api/notes/?page={bad}"), 400)
        assert "page" in body["errors"]["query"]


def page_results(api: ApiClient, page: int) -> list[dict[str, Any]]:
    body = api.call("GET", f"/api/notes/?page={page}").json
    assert body is not None
    results: list[dict[str, Any]] = body["results"]
    return results


def test_writes_are_throttled_per_user(
    app: Flask, ada: ApiClient, bob: ApiClient
) -> None:
    app.config["API_WRITE_LIMIT"] = "3 per minute"
    for n in range(3):
        ada.create(f"note {n}")
    throttled = ada.call("POST", "/api/notes/", json={"title": "one too many"})
    assert_json_error(throttled, 429)
    assert int(throttled.headers["Retry-After"]) > 0
    # Reads go on, and another user writes as usual.
    assert ada.call("GET", "/api/notes/").status_code == 200
    bob.create("Bob's")


def test_anonymous_writes_are_throttled_per_address(
    app: Flask, client: FlaskClient
) -> None:
    app.config["API_WRITE_LIMIT"] = "3 per minute"
    codes = [client.post("/api/notes/", json={}).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_openapi_document_is_valid(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document is not None
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths["/api/notes/"]) >= {"get", "post"}
    assert set(paths["/api/notes/{note_id}/"]) >= {"get", "put", "patch", "delete"}
    assert "get" in paths["/api/me"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def test_docs_page_uses_local_files_under_the_sites_policy(
    client: FlaskClient,
) -> None:
    page = client.get("/api/docs/")
    assert page.status_code == 200
    # The same policy as every page: nothing loosened for the docs.
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = page.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        with client.get(source) as response:
            assert response.status_code == 200, source
    assert_json_error(client.get("/api/docs/index.html"), 404)
    assert_json_error(client.get("/api/docs/../api.py"), 404)
