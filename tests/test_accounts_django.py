"""Attacks on the Django project's accounts, against the real thing: the
generated project in production configuration, served by gunicorn with 2
workers over HTTPS, on each database server it supports.

Each test plays what an attacker (or a careless admin) does with curl and
checks the answer the project now gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import combos
import deploy
import pytest
import servers
import services
from shell import run

DATABASES = ["sqlite", "postgresql", "mysql"]
PASSWORD = "Plenty-of-entropy-4-tests"
ADMIN = "admin@example.com"


@pytest.fixture(scope="module", params=DATABASES)
def deployed(request, store, tls, tmp_path_factory) -> Iterator[deploy.Deployed]:
    """The default Django project on ``database``, in production mode, with
    a superuser ``admin@example.com``."""
    answers = combos.default_answers("django", database=request.param)
    workdir = tmp_path_factory.mktemp(f"accounts-django-{request.param}")
    made = services.Databases()
    try:
        url = services.database_url(answers, made, workdir)
        with deploy.production_server(
            answers, store, workdir, database_url=url, tls=tls
        ) as app:
            deploy.create_admin(answers, app.project, app.env, ADMIN, PASSWORD)
            yield app
    finally:
        made.drop_all()


def origin_headers(app: deploy.Deployed, path: str) -> dict[str, str]:
    """What a browser sends with a form posted from the site's own page."""
    return {"Origin": app.url, "Referer": app.url + path}


def post_form(
    app: deploy.Deployed, client: servers.Client, path: str, form: dict[str, str]
) -> servers.Response:
    """GET the page, then POST ``form`` to it with the page's CSRF token."""
    page = client.get(path)
    assert page.status == 200, f"GET {path}: {page.status}\n{page.body[:500]}"
    token = servers.csrf_token(page.body)
    return client.post(
        path,
        {"csrfmiddlewaretoken": token, **form},
        headers=origin_headers(app, path),
    )


def log_in(
    app: deploy.Deployed, client: servers.Client, email: str, password: str
) -> servers.Response:
    return post_form(
        app, client, "/accounts/login/", {"username": email, "password": password}
    )


def sign_up(
    app: deploy.Deployed, client: servers.Client, email: str, password: str = PASSWORD
) -> servers.Response:
    form = {"email": email, "password1": password, "password2": password}
    return post_form(app, client, "/accounts/signup/", form)


def manage(app: deploy.Deployed, *args: str, check: bool = True):
    return run(
        ["python", "manage.py", *args], cwd=app.project, env=app.env, check=check
    )


def user_emails(app: deploy.Deployed) -> list[str]:
    code = (
        "from django.contrib.auth import get_user_model; "
        "print(sorted(get_user_model().objects.values_list('email', flat=True)))"
    )
    output = manage(app, "shell", "-c", code).output.strip().splitlines()[-1]
    return re.findall(r"'([^']*)'", output)


# --------------------------------------------------------------------------
# One account per mailbox, whatever its case (issue 10, item 6)


def test_the_database_refuses_a_case_variant_of_an_email(deployed):
    """An INSERT that bypasses Django's forms and models entirely is refused
    by the database itself."""
    code = (
        "from django.db import connection\n"
        "from django.utils import timezone\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute(\n"
        "        'INSERT INTO accounts_user (password, is_superuser, first_name,'\n"
        "        ' last_name, is_staff, is_active, date_joined, email)'\n"
        "        ' VALUES (%s, %s, %s, %s, %s, %s, %s, %s)',\n"
        "        ['!', False, '', '', False, True, timezone.now(), 'ADMIN@Example.com'],\n"
        "    )\n"
    )
    result = manage(deployed, "shell", "-c", code, check=False)
    assert result.returncode != 0, "the database accepted ADMIN@Example.com"
    assert "IntegrityError" in result.output, result.output[-2000:]
    assert user_emails(deployed).count(ADMIN) == 1


def test_sign_up_with_a_case_variant_makes_no_second_account(deployed):
    client = deployed.server.client()
    response = sign_up(deployed, client, "Admin@EXAMPLE.com")
    assert response.status < 500, response.body[:2000]
    assert [e for e in user_emails(deployed) if e.lower() == ADMIN] == [ADMIN]


def test_admin_form_refuses_a_case_variant_with_a_form_error(deployed):
    """The admin's change form answers ``ADMIN@example.com`` for another user
    with an error on the email field (it used to save it, and every login of
    either account then failed with a 500)."""
    manage(
        deployed,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.get_or_create(email='other@example.com')",
    )
    client = deployed.server.client()
    assert log_in(deployed, client, ADMIN, PASSWORD).status == 302
    listing = client.get("/admin/accounts/user/?q=other%40example.com")
    assert listing.status == 200
    match = re.search(r'href="(/admin/accounts/user/(\d+)/change/)', listing.body)
    assert match, listing.body[:3000]
    path = match.group(1)
    page = client.get(path)
    assert page.status == 200
    joined = re.search(r'name="date_joined_0" value="([^"]+)"', page.body)
    joined_time = re.search(r'name="date_joined_1" value="([^"]+)"', page.body)
    assert joined and joined_time, page.body[:3000]
    form = {
        "csrfmiddlewaretoken": servers.csrf_token(page.body),
        "email": "ADMIN@example.com",
        "is_active": "on",
        "date_joined_0": joined.group(1),
        "date_joined_1": joined_time.group(1),
    }
    response = client.post(path, form, headers=origin_headers(deployed, path))
    assert response.status == 200, f"{response.status}: {response.body[:2000]}"
    assert "errornote" in response.body and "already exists" in response.body
    assert sorted(user_emails(deployed)) == [ADMIN, "other@example.com"]
    # Both accounts still log in (no MultipleObjectsReturned).
    for email in (ADMIN, "ADMIN@Example.COM"):
        answer = log_in(deployed, deployed.server.client(), email, PASSWORD)
        assert answer.status == 302, f"login as {email}: {answer.status}"
