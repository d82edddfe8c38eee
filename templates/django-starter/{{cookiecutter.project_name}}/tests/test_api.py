"""The REST API: notes that belong to their owner, session and token
authentication, JSON errors, throttling, pagination and the OpenAPI document."""

from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.test import Client
from openapi_spec_validator import validate
from pytest_django import Settings

from {{ cookiecutter.project_slug }}.accounts.models import User
from {{ cookiecutter.project_slug }}.api.models import ApiToken, Note, digest
from {{ cookiecutter.project_slug }}.api.views import NoteViewSet

pytestmark = pytest.mark.django_db

NOTES = "/api/notes/"


def note_url(note_id: int) -> str:
    return f"{NOTES}{note_id}/"


@pytest.fixture
def token(user: User) -> str:
    return ApiToken.objects.issue(user)


@pytest.fixture
def api(token: str) -> Client:
    """A client that authenticates as ``user`` with a bearer token."""
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def other_user(django_user_model: type[User], password: str) -> User:
    return django_user_model.objects.create_user(
        email="grace@example.com", password=password, email_verified=True
    )


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json", response.content
    return response.json()


# Anonymous requests


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", NOTES), ("post", NOTES), ("get", "/api/notes/1/"), ("delete", "/api/notes/1/")],
)
def test_anonymous_requests_are_refused_with_401(client: Client, method: str, path: str) -> None:
    response = getattr(client, method)(path, {"title": "Hi"}, content_type="application/json")
    assert response.status_code == 401
    assert json_of(response) == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_me_needs_authentication(client: Client) -> None:
    assert client.get("/api/me").status_code == 401


# Tokens


def test_me_with_a_token(api: Client, user: User) -> None:
    response = api.get("/api/me")
    assert response.status_code == 200
    assert json_of(response) == {"id": user.pk, "email": "ada@example.com"}


@pytest.mark.parametrize(
    "header", ["Bearer wrong-token", "Bearer", "Bearer two tokens", "Token anything"]
)
def test_a_bad_token_is_refused(token: str, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/me")
    assert response.status_code == 401
    assert "detail" in json_of(response)


def test_a_token_of_an_inactive_user_is_refused(api: Client, user: User) -> None:
    user.is_active = False
    user.save()
    assert api.get("/api/me").status_code == 401


def test_api_token_command_prints_a_token_stored_as_a_hash(
    user: User, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("api_token", "ADA@example.com")
    token = capsys.readouterr().out.strip()
    assert len(token) >= 40
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == digest(token) != token
    assert not ApiToken.objects.filter(digest=token).exists()
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me")
    assert json_of(response)["email"] == "ada@example.com"


def test_api_token_command_revokes(api: Client, user: User) -> None:
    call_command("api_token", user.email, "--revoke")
    assert not ApiToken.objects.filter(user=user).exists()
    assert api.get("/api/me").status_code == 401


def test_api_token_command_refuses_an_unknown_address(db: None) -> None:
    with pytest.raises(CommandError, match="No account has the address nobody@example.com"):
        call_command("api_token", "nobody@example.com")


# Notes: create, read, update, delete


def test_notes_crud(api: Client, user: User) -> None:
    created = api.post(NOTES, {"title": "First", "body": "Hello"}, content_type="application/json")
    assert created.status_code == 201
    note = json_of(created)
    assert note["title"] == "First" and note["body"] == "Hello"
    assert set(note) == {"id", "title", "body", "created_at", "updated_at"}
    assert Note.objects.get(pk=note["id"]).owner == user

    assert json_of(api.get(note_url(note["id"])))["title"] == "First"

    replaced = api.put(note_url(note["id"]), {"title": "Second"}, content_type="application/json")
    assert replaced.status_code == 200
    assert json_of(replaced)["title"] == "Second"

    patched = api.patch(note_url(note["id"]), {"body": "Changed"}, content_type="application/json")
    assert json_of(patched)["title"] == "Second" and patched.json()["body"] == "Changed"

    assert api.delete(note_url(note["id"])).status_code == 204
    assert api.get(note_url(note["id"])).status_code == 404
    assert not Note.objects.exists()


def test_the_owner_cannot_be_chosen_by_the_client(
    api: Client, user: User, other_user: User
) -> None:
    response = api.post(
        NOTES, {"title": "Mine", "owner": other_user.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Note.objects.get().owner == user


def test_invalid_input_gives_400_with_field_errors(api: Client) -> None:
    missing = api.post(NOTES, {"body": "no title"}, content_type="application/json")
    assert missing.status_code == 400
    assert list(json_of(missing)) == ["title"]

    too_long = api.post(NOTES, {"title": "x" * 201}, content_type="application/json")
    assert too_long.status_code == 400
    assert "200" in json_of(too_long)["title"][0]

    broken = api.post(NOTES, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert "detail" in json_of(broken)
    assert not Note.objects.exists()


def test_another_users_notes_are_not_found(api: Client, other_user: User) -> None:
    theirs = Note.objects.create(owner=other_user, title="Private")
    assert json_of(api.get(NOTES))["count"] == 0
    url = note_url(theirs.pk)
    assert api.get(url).status_code == 404
    assert api.patch(url, {"title": "Mine now"}, content_type="application/json").status_code == (
        404
    )
    assert api.delete(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Private"


# The browser's session, with CSRF


def test_session_authentication_needs_the_csrf_token_for_writes(user: User, password: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/login/")
    login = browser.post(
        "/accounts/login/",
        {
            "username": user.email,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
    )
    assert login.status_code == 302
    assert json_of(browser.get("/api/me"))["email"] == user.email

    refused = browser.post(NOTES, {"title": "No token"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in json_of(refused)["detail"]

    accepted = browser.post(
        NOTES,
        {"title": "With token"},
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert accepted.status_code == 201
    assert [note.title for note in Note.objects.all()] == ["With token"]


# Errors are JSON


def test_unknown_api_paths_are_json_404(api: Client, client: Client) -> None:
    for who in (api, client):
        response = who.get("/api/nothing-here/")
        assert response.status_code == 404
        assert json_of(response) == {"detail": "Not found."}


def test_a_method_not_allowed_is_json_405(api: Client) -> None:
    response = api.post("/api/me", {}, content_type="application/json")
    assert response.status_code == 405
    assert "detail" in json_of(response)


def test_a_form_post_is_json_415(api: Client) -> None:
    response = api.post(NOTES, {"title": "As a form"})
    assert response.status_code == 415
    assert "detail" in json_of(response)


def test_a_server_error_is_json_500(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(NoteViewSet, "list", broken)
    api.raise_request_exception = False
    response = api.get(NOTES)
    assert response.status_code == 500
    assert json_of(response) == {"detail": "Server error."}


# Throttling


def test_writes_are_throttled_per_user(api: Client, settings: Settings, other_user: User) -> None:
    settings.API_WRITE_RATE = "3/hour"
    for number in range(3):
        created = api.post(NOTES, {"title": f"{number}"}, content_type="application/json")
        assert created.status_code == 201
    refused = api.post(NOTES, {"title": "one too many"}, content_type="application/json")
    assert refused.status_code == 429
    assert "throttled" in json_of(refused)["detail"]
    assert int(refused["Retry-After"]) > 0
    assert Note.objects.count() == 3
    # Reads go on; another account has its own count.
    assert api.get(NOTES).status_code == 200
    other = Client(headers={"Authorization": f"Bearer {ApiToken.objects.issue(other_user)}"})
    assert other.post(NOTES, {"title": "Grace"}, content_type="application/json").status_code == (
        201
    )


# Pagination


def test_the_list_is_paginated_twenty_a_page(api: Client, user: User) -> None:
    Note.objects.bulk_create(Note(owner=user, title=f"Note {n}") for n in range(25))
    first = json_of(api.get(NOTES))
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("/api/notes/?page=2")

    second = json_of(api.get(first["next"]))
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"].endswith("/api/notes/")
    ids = [note["id"] for note in first["results"] + second["results"]]
    assert len(set(ids)) == 25

    beyond = api.get(NOTES, {"page": 3})
    assert beyond.status_code == 404
    assert "detail" in json_of(beyond)


# The OpenAPI document and its docs


def test_the_openapi_document_is_valid(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/notes/", "/api/notes/{id}/", "/api/me"}
    assert set(document["paths"]["/api/notes/{id}/"]) == {"get", "put", "patch", "delete"}
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `python manage.py api_token EMAIL`.",
    }
    assert "cookieAuth" in schemes


def test_the_docs_page_loads_everything_from_this_site(client: Client) -> None:
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html
    assert "<style" not in html and "<script>" not in html
    for asset in (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/css/api-docs.css",
    ):
        assert f'"{asset}"' in html
        # Shipped with the project's packages (collectstatic gathers it for WhiteNoise).
        assert finders.find(asset.removeprefix("/static/")), asset
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/openapi.json" in script.content
    # The site's own policy, not a looser one.
    assert page["Content-Security-Policy"] == client.get("/").headers["Content-Security-Policy"]
