"""Security of generated projects, checked on real responses and real files.

The default Django and Flask projects run under gunicorn with their production
configuration, served over real HTTPS (a self-signed certificate for
127.0.0.1), so the production settings are used exactly as shipped: no flag
is turned off to make plain HTTP work.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import combos
import deploy
import projects
import pytest
import servers
from servers import CSRF_FIELD
from shell import run

FRAMEWORKS = ["django", "flask"]
PASSWORD = "Plenty-of-entropy-4-tests"
SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "http://127.0.0.1.evil.example/",
]


@pytest.fixture(scope="module", params=FRAMEWORKS)
def deployed(request, store, tls, tmp_path_factory) -> Iterator[deploy.Deployed]:
    """The default project of a framework, in production mode, with one user."""
    framework = request.param
    answers = combos.default_answers(framework)
    workdir = tmp_path_factory.mktemp(f"security-{framework}")
    url = f"sqlite:///{workdir / 'db.sqlite3'}"
    with deploy.production_server(
        answers, store, workdir, database_url=url, tls=tls
    ) as app:
        deploy.create_admin(
            answers, app.project, app.env, "owner@example.com", PASSWORD
        )
        yield app


def origin_headers(app: deploy.Deployed) -> dict[str, str]:
    """What a browser sends with a form posted from the site's own page."""
    return {"Origin": app.url, "Referer": app.url + app.contract.login}


def log_in(app, client, email, password, *, next_url=None, token=True):
    login = app.contract.login
    path = login + (f"?next={quote(next_url, safe='')}" if next_url else "")
    page = client.get(path)
    assert page.status == 200, f"GET {path}: {page.status}"
    form = dict(zip(app.contract.login_fields, (email, password), strict=True))
    if token:
        form[CSRF_FIELD[app.answers["framework"]]] = servers.csrf_token(page.body)
    if next_url:
        form["next"] = next_url
    return client.post(path, form, headers=origin_headers(app))


def test_production_headers(deployed):
    """HSTS, nosniff, X-Frame-Options and Referrer-Policy on real responses."""
    problems = []
    for path in ("/", deployed.contract.login):
        response = deployed.server.client().get(path)
        assert response.status == 200, f"GET {path}: {response.status}"
        hsts = response.header("Strict-Transport-Security") or ""
        match = re.search(r"max-age=(\d+)", hsts)
        if not match or int(match.group(1)) <= 0:
            problems.append(f"{path}: Strict-Transport-Security is {hsts!r}")
        if (response.header("X-Content-Type-Options") or "").lower() != "nosniff":
            problems.append(f"{path}: X-Content-Type-Options is not nosniff")
        frame = (response.header("X-Frame-Options") or "").upper()
        if frame not in ("DENY", "SAMEORIGIN"):
            problems.append(f"{path}: X-Frame-Options is {frame!r}")
        policy = (response.header("Referrer-Policy") or "").lower()
        if not set(policy.replace(" ", "").split(",")) & SAFE_REFERRER_POLICIES:
            problems.append(f"{path}: Referrer-Policy is {policy!r}")
    assert not problems, "\n".join(problems)


def test_cookies_are_secure(deployed):
    """Every cookie set while logging in is Secure; the session cookie is also
    HttpOnly."""
    client = deployed.server.client()
    cookies = list(client.get(deployed.contract.login).cookies())
    response = log_in(deployed, client, "owner@example.com", PASSWORD)
    assert response.status in (302, 303), f"login failed: {response.status}"
    cookies += response.cookies()
    assert cookies, "no cookie was set while logging in"
    problems = []
    for cookie in cookies:
        attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        name = cookie.split("=", 1)[0]
        if "secure" not in attributes:
            problems.append(f"{name} is not Secure: {cookie}")
        if "session" in name.lower() and "httponly" not in attributes:
            problems.append(f"{name} is not HttpOnly: {cookie}")
    assert any("session" in c.split("=", 1)[0].lower() for c in cookies), cookies
    assert not problems, "\n".join(problems)


def test_post_without_csrf_token_is_refused(deployed):
    client = deployed.server.client()
    refused = log_in(deployed, client, "owner@example.com", PASSWORD, token=False)
    assert refused.status in (400, 403), (
        f"a login POST without a CSRF token answered {refused.status}"
    )
    signup = deployed.contract.signup
    page = client.get(signup)
    assert page.status == 200
    email, password, confirm = deployed.contract.signup_fields
    form = {email: "new@example.com", password: PASSWORD, confirm: PASSWORD}
    response = client.post(signup, form, headers=origin_headers(deployed))
    assert response.status in (400, 403), (
        f"a sign-up POST without a CSRF token answered {response.status}"
    )
    # The same login with its token goes through: the refusal was the token's.
    accepted = log_in(deployed, client, "owner@example.com", PASSWORD)
    assert accepted.status in (302, 303), accepted.status


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(deployed, target):
    client = deployed.server.client()
    response = log_in(deployed, client, "owner@example.com", PASSWORD, next_url=target)
    assert response.status in (302, 303), (
        f"login with next={target!r} did not succeed: {response.status}"
    )
    location = response.header("Location") or ""
    # Browsers read a backslash in a URL as a slash.
    landing = urlsplit(urljoin(deployed.url + "/", location.replace("\\", "/")))
    assert landing.netloc == f"127.0.0.1:{deployed.server.port}", (
        f"next={target!r} redirected to {location!r}"
    )


def test_local_next_is_followed(deployed):
    """The check above is not vacuous: a path on the site is honoured."""
    client = deployed.server.client()
    response = log_in(
        deployed, client, "owner@example.com", PASSWORD, next_url="/healthz?from=login"
    )
    assert response.status in (302, 303)
    assert urlsplit(response.header("Location") or "").path == "/healthz"


# --------------------------------------------------------------------------
# Generated files


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_bandit_finds_nothing_medium_or_higher(framework, store, tmp_path):
    """bandit over the generated code of every code combination at once."""
    paths = [str(store.get(a)) for a in combos.code_combinations(framework)]
    run([sys.executable, "-m", "bandit", "-q", "-r", "-ll", *paths], cwd=tmp_path)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_generations_never_share_a_secret_key(framework, tmp_path):
    answers = combos.default_answers(framework)
    keys = []
    for i in range(2):
        project = projects.generate(answers, tmp_path / str(i))
        key = projects.read_secret_key(project)
        assert len(key) >= 50, f"SECRET_KEY in .env is only {len(key)} characters"
        keys.append(key)
        example = (project / ".env.example").read_text()
        assert key not in example
        assert re.search(r"^SECRET_KEY=\s*$", example, re.MULTILINE), (
            ".env.example must leave SECRET_KEY empty"
        )
    assert keys[0] != keys[1]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_git_tracks_no_secret(framework, tmp_path):
    """In a generated git repository, .env is ignored and no tracked file
    holds the key."""
    answers = combos.default_answers(framework)
    project = projects.generate(answers, tmp_path, git=True)
    key = projects.read_secret_key(project)
    tracked = run(["git", "ls-files", "-z"], cwd=project).output.split("\0")
    tracked = [t for t in tracked if t]
    assert tracked, "the generated repository tracks nothing"
    assert not [t for t in tracked if Path(t).name == ".env"]
    holding = [t for t in tracked if key in (project / t).read_text(errors="ignore")]
    assert not holding, f"tracked files containing the SECRET_KEY: {holding}"
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=project)
    assert ignored.returncode == 0, ".env is not git-ignored"
    status = run(["git", "status", "--porcelain"], cwd=project).output
    assert status.strip() == "", f"untracked or changed files:\n{status}"
