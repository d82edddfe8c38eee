"""Attacks on the accounts of a Flask project served as in production:
gunicorn with 2 workers, the production environment, real HTTPS, and the real
database; with Celery the throttling counters are in the real Redis, without
it in the project's SQLite file.

Each client plays a visitor behind the host's proxy, with an address of its
own (``X-Forwarded-For``, believed with ``FORWARDED_PROXIES=1``), so counters
left in Redis by an earlier run never meet this run's.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import combos
import deploy
import projects
import pytest
import servers
import services

PASSWORD = "Plenty-of-entropy-4-tests"
WRONG = "not-the-password-at-all"

DEPLOYMENTS = {
    # The default project: counters in a SQLite file in the instance folder.
    "sqlite": combos.default_answers("flask"),
    # Redis is there for Celery: counters in Redis.
    "celery": combos.default_answers("flask", database="postgresql", tasks="celery"),
}

#: The access log names the worker (its pid) that answered each request.
ACCESS_LOG = "--access-logformat '%(p)s %(s)s \"%(r)s\"'"


@pytest.fixture(scope="module", params=list(DEPLOYMENTS))
def deployed(request, store, tls, tmp_path_factory) -> Iterator[deploy.Deployed]:
    answers = DEPLOYMENTS[request.param]
    workdir = tmp_path_factory.mktemp(f"accounts-flask-{request.param}")
    databases = services.Databases()
    try:
        url = services.database_url(answers, databases, workdir)
        extra = {"GUNICORN_CMD_ARGS": ACCESS_LOG}
        if answers["tasks"] == "celery":
            extra["REDIS_URL"] = services.unworked_redis_url()
        project = deploy.production_copy(store.get(answers), workdir)
        venv = projects.venv_for(project)
        env = deploy.production_env("flask", venv, url, **extra)
        deploy.prepare_production(answers, project, env)
        log = workdir / "gunicorn.log"
        with servers.gunicorn(project, venv, env, log, workers=2, tls=tls) as server:
            yield deploy.Deployed(answers, project, venv, env, server)
    finally:
        databases.drop_all()


def new_address() -> str:
    """A client address of this run only (in the benchmarking range)."""
    return f"198.18.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def new_email() -> str:
    return f"user-{secrets.token_hex(6)}@example.com"


class Visitor:
    """A browser at one address: fills the site's forms, token included."""

    def __init__(self, app: deploy.Deployed, address: str) -> None:
        self.app = app
        self.client = app.server.client(**{"X-Forwarded-For": address})

    def submit(
        self, path: str, form: dict[str, str], *, post_to: str | None = None
    ) -> servers.Response:
        """Fill in the form of the page at ``path`` and send it (to
        ``post_to``, for another form on that page)."""
        page = self.client.get(path)
        assert page.status == 200, f"GET {path}: {page.status}"
        form = {**form, "csrf_token": servers.csrf_token(page.body)}
        headers = {"Origin": self.app.url, "Referer": self.app.url + path}
        return self.client.post(post_to or path, form, headers=headers)

    def signup(self, email: str) -> servers.Response:
        form = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
        return self.submit("/auth/signup", form)

    def login(
        self, email: str, password: str, *, remember: bool = False
    ) -> servers.Response:
        form = {"email": email, "password": password}
        if remember:
            form["remember"] = "y"
        return self.submit("/auth/login", form)

    def send_message(self) -> servers.Response:
        return self.submit("/", {"author": "Mallory", "body": "Buy now"})


def worker_pids(app: deploy.Deployed, status: int, request_line: str) -> set[str]:
    """The workers (pids) whose access log lines show ``status`` for requests
    starting with ``request_line``."""
    pattern = re.compile(rf"^<(\d+)> {status} \"{re.escape(request_line)}")
    lines = app.server.log.read_text(errors="replace").splitlines()
    return {m[1] for line in lines if (m := pattern.match(line))}


def test_fifty_wrong_passwords_then_the_right_one(deployed):
    """The account is locked after 5 failures, in both workers, and the
    right password is refused too; other accounts are not affected."""
    email = new_email()
    assert Visitor(deployed, new_address()).signup(email).status == 302
    attacker = Visitor(deployed, new_address())
    statuses = [attacker.login(email, WRONG).status for _ in range(50)]
    assert statuses == [200] * 5 + [429] * 45, statuses

    # The owner, from another address, several at a time so that both
    # workers answer: refused by each of them.
    def owner_login(_: int) -> int:
        return Visitor(deployed, new_address()).login(email, PASSWORD).status

    with ThreadPoolExecutor(4) as pool:
        owner = list(pool.map(owner_login, range(12)))
    assert owner == [429] * 12, owner
    refusing = worker_pids(deployed, 429, "POST /auth/login")
    assert len(refusing) == 2, f"429 came from workers {refusing} only"

    locked = attacker.login(email, PASSWORD)
    assert locked.status == 429
    assert "Too many failed logins." in locked.body
    assert int(locked.header("Retry-After") or 0) > 0
    # Another account logs in as usual, from the attacker's address too.
    other = new_email()
    assert Visitor(deployed, new_address()).signup(other).status == 302
    assert attacker.login(other, PASSWORD).status == 302


def test_wrong_passwords_for_many_accounts_from_one_address(deployed):
    attacker = Visitor(deployed, new_address())
    statuses = [attacker.login(new_email(), WRONG).status for _ in range(21)]
    assert statuses == [200] * 20 + [429], statuses
    assert "Too many failed logins." in attacker.login(new_email(), WRONG).body
    # Another address is still heard.
    assert Visitor(deployed, new_address()).login(new_email(), WRONG).status == 200


def test_sign_ups_from_one_address(deployed):
    address = new_address()
    statuses = [
        Visitor(deployed, address).signup(new_email()).status for _ in range(11)
    ]
    assert statuses == [302] * 10 + [429], statuses
    refused = Visitor(deployed, address).signup(new_email())
    assert refused.status == 429
    assert "Too many sign-ups from your address." in refused.body


def test_twenty_messages_from_one_address(deployed):
    sender = Visitor(deployed, new_address())
    statuses = [sender.send_message().status for _ in range(20)]
    assert statuses == [302] * 10 + [429] * 10, statuses
    refused = sender.send_message()
    assert "Too many messages from your address." in refused.body
    assert int(refused.header("Retry-After") or 0) > 0


# --------------------------------------------------------------------------
# Sessions that end


def replay(app: deploy.Deployed, cookies: dict[str, str]) -> servers.Client:
    """A new browser holding only ``cookies`` copied from another one."""
    client = app.server.client(**{"X-Forwarded-For": new_address()})
    client.jar.update(cookies)
    return client


def opens(client: servers.Client, path: str) -> bool:
    """Whether ``client`` gets the page (not a redirect to the login page)."""
    status = client.get(path).status
    assert status in (200, 302), f"GET {path}: {status}"
    return status == 200


def test_cookies_from_before_logout_are_worthless(deployed):
    """An admin logs in with "remember me", then out: neither the old session
    cookie nor the old remember-me cookie opens a page any more."""
    email = new_email()
    deploy.create_admin(
        deployed.answers, deployed.project, deployed.env, email, PASSWORD
    )
    admin = Visitor(deployed, new_address())
    assert admin.login(email, PASSWORD, remember=True).status == 302
    session = {"session": admin.client.jar["session"]}
    remember = {"remember_token": admin.client.jar["remember_token"]}
    for cookies in (session, remember):
        assert opens(replay(deployed, cookies), "/admin/user/")
    assert admin.submit("/auth/password", {}, post_to="/auth/logout").status == 302
    for cookies in (session, remember):
        for path in ("/auth/password", "/admin/user/"):
            assert not opens(replay(deployed, cookies), path), (cookies.keys(), path)


def test_password_change_ends_the_other_sessions(deployed):
    email = new_email()
    owner = Visitor(deployed, new_address())
    assert owner.signup(email).status == 302
    thief = replay(deployed, {"session": owner.client.jar["session"]})
    assert opens(thief, "/auth/password")
    new = "Another-long-passphrase-2"
    changed = owner.submit(
        "/auth/password", {"current": PASSWORD, "password": new, "confirm": new}
    )
    assert changed.status == 302, changed.body[:500]
    assert not opens(thief, "/auth/password")
    assert opens(owner.client, "/auth/password")


def test_csrf_token_from_before_login_is_refused(deployed):
    email = new_email()
    assert Visitor(deployed, new_address()).signup(email).status == 302
    visitor = Visitor(deployed, new_address())
    before = servers.csrf_token(visitor.client.get("/auth/login").body)
    assert visitor.login(email, PASSWORD).status == 302
    after = servers.csrf_token(visitor.client.get("/auth/password").body)
    assert after != before
    headers = {"Origin": deployed.url, "Referer": deployed.url + "/"}
    old = visitor.client.post("/auth/logout", {"csrf_token": before}, headers=headers)
    assert old.status == 400
    new = visitor.client.post("/auth/logout", {"csrf_token": after}, headers=headers)
    assert new.status == 302
