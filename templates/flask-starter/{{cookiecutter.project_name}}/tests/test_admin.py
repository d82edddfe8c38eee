"""The admin site: admins only, CSRF-protected forms, ``flask create-admin``."""

import base64
import hashlib
import html
import re

from auth_actions import AuthActions
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.models import Message
from {{ cookiecutter.project_slug }}.users import User


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def create_admin(runner: FlaskCliRunner, email: str, password: str) -> None:
    result = runner.invoke(
        args=["create-admin", "--email", email, "--password", password]
    )
    assert result.exit_code == 0, result.output


def test_anonymous_users_are_sent_to_login(client: FlaskClient) -> None:
    for path in ("/admin/", "/admin/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")


def test_other_users_are_refused(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/user/").status_code == 403
    assert b'href="/admin/"' not in client.get("/").data


def test_admins_get_in(
    client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    create_admin(runner, auth.email, auth.password)
    auth.login()
    assert b'href="/admin/"' in client.get("/").data
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/user/")
    assert response.status_code == 200
    assert auth.email.encode() in response.data
    assert client.get("/admin/message/").status_code == 200


def test_admin_pages_use_a_script_nonce(
    client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    create_admin(runner, auth.email, auth.password)
    auth.login()
    response = client.get("/admin/user/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.data


def test_list_pages_allow_exactly_their_inline_handlers(
    client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    """Flask-Admin's confirmations are inline handlers: the policy lists the
    hash of each one the page carries, and other pages allow none."""
    create_admin(runner, auth.email, auth.password)
    auth.login()
    response = client.get("/admin/user/")
    page = response.get_data(as_text=True)
    handlers = {html.unescape(h) for h in re.findall(r'onclick="([^"]*)"', page)}
    assert any("safeConfirm" in handler for handler in handlers), handlers
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-hashes'" in policy
    assert "'unsafe-inline'" not in policy
    for handler in handlers:
        digest = base64.b64encode(hashlib.sha256(handler.encode()).digest())
        assert f"'sha256-{digest.decode()}'" in policy, handler
    assert "'unsafe-hashes'" not in client.get("/").headers["Content-Security-Policy"]


def test_admin_pages_name_their_language_and_repeat_no_id(
    client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    auth.signup(email="second@example.com")  # two rows, two delete forms
    auth.logout()
    create_admin(runner, auth.email, auth.password)
    auth.login()
    page = client.get("/admin/user/").get_data(as_text=True)
    assert re.search(r'<html lang="[a-z]{2}', page)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(ids)


def test_create_admin_promotes_an_existing_user(
    app: Flask, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    auth.register()
    create_admin(runner, auth.email, "another-password")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == auth.email))
        assert user is not None
        assert user.is_admin
        assert user.check_password("another-password")


def test_create_admin_checks_its_input(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-admin", "--email", "nobody", "--password", "long-enough"]
    )
    assert result.exit_code != 0
    assert "not an email address" in result.output
    result = runner.invoke(
        args=["create-admin", "--email", "ada@example.com", "--password", "password"]
    )
    assert result.exit_code != 0
    assert "too easy to guess" in result.output


def test_admin_forms_need_a_csrf_token(
    app: Flask, client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    create_admin(runner, auth.email, auth.password)
    with app.app_context():
        message = Message(author="Ada", body="Hello")
        db.session.add(message)
        db.session.commit()
        message_id = message.id
    app.config["WTF_CSRF_ENABLED"] = True
    # Tests run over HTTPS, where Flask-WTF also wants a same-site Referer.
    client.environ_base["HTTP_REFERER"] = "https://localhost/"
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    client.post(
        "/auth/login",
        data={"email": auth.email, "password": auth.password, "csrf_token": token},
    )
    page = client.get("/admin/message/").get_data(as_text=True)
    url = "/admin/message/delete/"
    assert client.post(url, data={"id": message_id}).status_code == 400
    response = client.post(url, data={"id": message_id, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Message, message_id) is None


def edit_user(client: FlaskClient, app: Flask, email: str, new_email: str) -> str:
    """Post the admin's edit form of the account ``email``; the page answered."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    url = f"/admin/user/edit/?id={user_id}"
    response = client.post(url, data={"email": new_email, "is_admin": "y"})
    return response.get_data(as_text=True)


def log_in_as_admin_beside_a_user(auth: AuthActions, runner: FlaskCliRunner) -> None:
    """An admin logged in, and ``auth.email`` an ordinary verified account."""
    create_admin(runner, "admin@example.com", auth.password)
    auth.register()
    auth.logout()
    auth.login("admin@example.com")


def test_the_user_form_refuses_what_would_lock_a_user_out(
    client: FlaskClient, app: Flask, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    log_in_as_admin_beside_a_user(auth, runner)
    # Another account's address in other case, or no address at all.
    taken = edit_user(client, app, auth.email, "ADMIN@Example.com")
    assert "Already exists." in taken
    invalid = edit_user(client, app, auth.email, "not an address")
    assert "Invalid email address." in invalid
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
    assert emails == {"admin@example.com", auth.email}


def test_the_user_form_stores_email_in_lower_case(
    client: FlaskClient, app: Flask, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    log_in_as_admin_beside_a_user(auth, runner)
    edit_user(client, app, auth.email, " Grace@Example.COM ")
    auth.logout()
    # The user logs in with the address however it is typed.
    assert auth.login("grace@example.com").status_code == 302
