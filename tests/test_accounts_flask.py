"""Attacks on the accounts of a Flask project served as in production:
gunicorn with 2 workers, the production environment, real HTTPS, and the real
database; with Celery the throttling counters are in the real Redis, without
it in the project's SQLite file.

Each client plays a visitor behind the host's proxy, with an address of its
own (``X-Forwarded-For``, believed with ``FORWARDED_PROXIES=1``), so counters
left in Redis by an earlier run never meet this run's.

The project sends its emails (verification and reset links) to an SMTP server
the tests start (``mailserver``): with Celery through its own worker, else from
a thread of the gunicorn worker that answered.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import combos
import deploy
import mailserver
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


@pytest.fixture(scope="module")
def mailbox() -> Iterator[mailserver.Mailbox]:
    with mailserver.smtp_server() as sink:
        yield sink


@pytest.fixture(scope="module", params=list(DEPLOYMENTS))
def deployed(
    request, store, tls, tmp_path_factory, mailbox
) -> Iterator[deploy.Deployed]:
    answers = DEPLOYMENTS[request.param]
    workdir = tmp_path_factory.mktemp(f"accounts-flask-{request.param}")
    databases = services.Databases()
    try:
        url = services.database_url(answers, databases, workdir)
        extra = {
            "GUNICORN_CMD_ARGS": ACCESS_LOG,
            "EMAIL_URL": mailbox.url,
            "EMAIL_FROM": "site@example.com",
        }
        with contextlib.ExitStack() as stack:
            if answers["tasks"] == "celery":
                # A Redis of this fixture's own: the worker of another
                # deployment (another xdist worker's) must not take its
                # tasks and send its emails elsewhere.
                extra["REDIS_URL"] = stack.enter_context(servers.private_redis(workdir))
            project = deploy.production_copy(store.get(answers), workdir)
            venv = projects.venv_for(project)
            env = deploy.production_env("flask", venv, url, **extra)
            deploy.prepare_production(answers, project, env)
            log = workdir / "gunicorn.log"
            stack.enter_context(celery_worker(answers, project, env, workdir))
            server = stack.enter_context(
                servers.gunicorn(project, venv, env, log, workers=2, tls=tls)
            )
            yield deploy.Deployed(answers, project, venv, env, server)
    finally:
        databases.drop_all()


def celery_worker(answers, project, env, workdir) -> contextlib.AbstractContextManager:
    """The Procfile's worker (with Celery): it sends the emails."""
    if answers["tasks"] != "celery":
        return contextlib.nullcontext()
    command = "celery -A wsgi:celery_app worker --loglevel INFO --concurrency 1"
    return servers.Server(
        ["bash", "-c", command],
        cwd=project,
        env=env,
        port=0,
        log=workdir / "celery.log",
        ready_output=r"celery@\S+ ready",
    )


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

    def ask_reset(self, email: str) -> servers.Response:
        return self.submit("/auth/reset", {"email": email})

    def follow(self, path: str) -> servers.Response:
        return self.client.get(path)


def register(app: deploy.Deployed, mailbox: mailserver.Mailbox, email: str) -> None:
    """Sign up from an address of its own and follow the verification link."""
    visitor = Visitor(app, new_address())
    signed_up = visitor.signup(email)
    assert signed_up.status == 302, signed_up.body[:500]
    link = mailserver.link(mailbox.wait(email), "/auth/verify/")
    verified = visitor.follow(link)
    assert verified.status == 302
    assert verified.header("Location") == "/auth/login"


def worker_pids(app: deploy.Deployed, status: int, request_line: str) -> set[str]:
    """The workers (pids) whose access log lines show ``status`` for requests
    starting with ``request_line``."""
    pattern = re.compile(rf"^<(\d+)> {status} \"{re.escape(request_line)}")
    lines = app.server.log.read_text(errors="replace").splitlines()
    return {m[1] for line in lines if (m := pattern.match(line))}


def test_fifty_wrong_passwords_then_the_right_one(deployed, mailbox):
    """The account is locked after 5 failures, in both workers, and the
    right password is refused too; other accounts are not affected."""
    email = new_email()
    register(deployed, mailbox, email)
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
    register(deployed, mailbox, other)
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


def test_password_change_ends_the_other_sessions(deployed, mailbox):
    email = new_email()
    register(deployed, mailbox, email)
    owner = Visitor(deployed, new_address())
    assert owner.login(email, PASSWORD).status == 302
    thief = replay(deployed, {"session": owner.client.jar["session"]})
    assert opens(thief, "/auth/password")
    new = "Another-long-passphrase-2"
    changed = owner.submit(
        "/auth/password", {"current": PASSWORD, "password": new, "confirm": new}
    )
    assert changed.status == 302, changed.body[:500]
    assert not opens(thief, "/auth/password")
    assert opens(owner.client, "/auth/password")


def test_csrf_token_from_before_login_is_refused(deployed, mailbox):
    email = new_email()
    register(deployed, mailbox, email)
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


# --------------------------------------------------------------------------
# No account enumeration, by message or by timing


def post_seconds(
    app: deploy.Deployed,
    path: str,
    form_of: Callable[[], dict[str, str]],
    status: int,
    times: int = 9,
    settle: Callable[[], object] | None = None,
) -> float:
    """The median time a POST of ``form_of()`` to ``path`` takes, each from
    a new visitor (its own address) with the form's token; ``settle`` waits
    before each one until the work the previous one left in the background
    (an email being sent) is done."""
    samples = []
    for _ in range(times):
        if settle:
            settle()
        visitor = Visitor(app, new_address())
        page = visitor.client.get(path)
        form = {**form_of(), "csrf_token": servers.csrf_token(page.body)}
        headers = {"Origin": app.url, "Referer": app.url + path}
        start = time.perf_counter()
        response = visitor.client.post(path, form, headers=headers)
        samples.append(time.perf_counter() - start)
        assert response.status == status, response.body[:500]
    return statistics.median(samples)


def within_twice(known: float, unknown: float) -> bool:
    return max(known, unknown) <= 2 * min(known, unknown)


def flash_after(visitor: Visitor, response: servers.Response) -> str:
    """The message shown on the page a response redirects to."""
    assert response.status == 302, response.body[:500]
    page = visitor.client.get(response.header("Location") or "/")
    messages = re.findall(r'<p class="message [^"]*">(.*?)</p>', page.body, re.S)
    assert messages, page.body[:2000]
    return " ".join(m.strip() for m in messages)


def test_sign_up_with_a_taken_address_answers_as_a_new_one(deployed, mailbox):
    """Same status, page and message; the owner is told by email; the
    password of the account is not changed."""
    owner = new_email()
    register(deployed, mailbox, owner)
    fresh = new_email()
    answers = {}
    for email in (owner, fresh, owner.upper()):
        visitor = Visitor(deployed, new_address())
        response = visitor.signup(email)
        answers[email] = (
            response.status,
            response.header("Location"),
            flash_after(visitor, response).replace(email.lower(), "EMAIL"),
        )
    assert answers[owner] == answers[fresh] == answers[owner.upper()], answers
    notice = mailbox.wait(owner, count=2)
    assert "already has an account" in notice.get_content()
    assert mailserver.link(notice, "/auth/reset/")
    assert Visitor(deployed, new_address()).login(owner, PASSWORD).status == 302


def test_sign_up_timing_does_not_tell_taken_addresses(deployed, mailbox):
    owner = new_email()
    register(deployed, mailbox, owner)

    def form(email: str) -> dict[str, str]:
        return {"email": email, "password": PASSWORD, "confirm": PASSWORD}

    taken = post_seconds(deployed, "/auth/signup", lambda: form(owner), 302)
    new = post_seconds(deployed, "/auth/signup", lambda: form(new_email()), 302)
    assert within_twice(taken, new), f"taken {taken:.4f} s, new {new:.4f} s"


def test_login_timing_does_not_tell_unknown_addresses(deployed, mailbox):
    """A wrong password for a real account and any password for an unknown
    address take about as long (the hash runs for both)."""
    accounts = [new_email() for _ in range(2)]
    for email in accounts:
        register(deployed, mailbox, email)
    # Four failures per account stay under its lock (five).
    known_logins = iter([email for email in accounts for _ in range(4)])
    known = post_seconds(
        deployed,
        "/auth/login",
        lambda: {"email": next(known_logins), "password": WRONG},
        200,
        times=8,
    )
    unknown = post_seconds(
        deployed,
        "/auth/login",
        lambda: {"email": new_email(), "password": WRONG},
        200,
        times=8,
    )
    assert within_twice(known, unknown), f"known {known:.4f} s, unknown {unknown:.4f} s"


def test_password_reset_answers_the_same_for_unknown_addresses(deployed, mailbox):
    owner = new_email()
    register(deployed, mailbox, owner)
    nobody = new_email()
    answers = {}
    for email in (owner, nobody):
        visitor = Visitor(deployed, new_address())
        response = visitor.ask_reset(email)
        answers[email] = (
            response.status,
            response.header("Location"),
            flash_after(visitor, response),
        )
    assert answers[owner] == answers[nobody], answers
    assert mailbox.wait(owner, count=2)["Subject"] == "Choose a new password"
    time.sleep(1)
    assert mailbox.to(nobody) == []


def test_password_reset_timing_does_not_tell_unknown_addresses(deployed, mailbox):
    accounts = [new_email() for _ in range(3)]
    for email in accounts:
        register(deployed, mailbox, email)
    # Three requests per address stay under its limit.
    known_emails = iter([email for email in accounts for _ in range(3)])

    # Without Celery the email goes out from a thread of the worker that
    # answered: a request reaching that worker meanwhile waits for it, which
    # is the cost of sending without a task queue, not this request's own time.
    def settle() -> int:
        return mailbox.settled_count(quiet=0.5)

    known = post_seconds(
        deployed,
        "/auth/reset",
        lambda: {"email": next(known_emails)},
        302,
        settle=settle,
    )
    unknown = post_seconds(
        deployed, "/auth/reset", lambda: {"email": new_email()}, 302, settle=settle
    )
    assert within_twice(known, unknown), f"known {known:.4f} s, unknown {unknown:.4f} s"


# --------------------------------------------------------------------------
# Verified addresses, password reset, password rules


def test_an_unverified_account_cannot_log_in(deployed, mailbox):
    """Mallory signs up with Alice's address: the account does not open
    until the link sent to Alice's mailbox is followed, and a forged link
    does nothing."""
    alice = new_email()
    mallory = Visitor(deployed, new_address())
    assert mallory.signup(alice).status == 302
    refused = mallory.login(alice, PASSWORD)
    assert refused.status == 200
    assert "Please confirm your email address first" in refused.body
    assert not opens(mallory.client, "/auth/account")
    link = mailserver.link(mailbox.wait(alice), "/auth/verify/")
    forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert Visitor(deployed, new_address()).follow(forged).status == 302
    assert mallory.login(alice, PASSWORD).status == 200
    assert Visitor(deployed, new_address()).follow(link).status == 302
    assert Visitor(deployed, new_address()).login(alice, PASSWORD).status == 302


def test_a_reset_link_ends_every_session_and_works_once(deployed, mailbox):
    email = new_email()
    register(deployed, mailbox, email)
    owner = Visitor(deployed, new_address())
    assert owner.login(email, PASSWORD, remember=True).status == 302
    stolen = {"session": owner.client.jar["session"]}
    remembered = {"remember_token": owner.client.jar["remember_token"]}
    assert Visitor(deployed, new_address()).ask_reset(email).status == 302
    link = mailserver.link(mailbox.wait(email, count=2), "/auth/reset/")
    new = "Freshly-chosen-passphrase-9"
    visitor = Visitor(deployed, new_address())
    reset = visitor.submit(link, {"password": new, "confirm": new})
    assert reset.status == 302
    assert reset.header("Location") == "/auth/login"
    for cookies in (stolen, remembered):
        assert not opens(replay(deployed, cookies), "/auth/account")
    again = visitor.client.get(link)
    assert again.status == 302
    assert again.header("Location") == "/auth/reset"
    assert Visitor(deployed, new_address()).login(email, PASSWORD).status == 200
    assert Visitor(deployed, new_address()).login(email, new).status == 302


@pytest.mark.parametrize("password", ["password", "12345678", "aaaaaaaa"])
def test_weak_passwords_are_refused(deployed, password):
    visitor = Visitor(deployed, new_address())
    email = new_email()
    form = {"email": email, "password": password, "confirm": password}
    response = visitor.submit("/auth/signup", form)
    assert response.status == 200
    assert 'aria-invalid="true"' in response.body
    assert Visitor(deployed, new_address()).login(email, password).status == 200


def test_an_address_in_other_case_names_the_same_account(deployed, mailbox):
    email = new_email()
    register(deployed, mailbox, email)
    assert Visitor(deployed, new_address()).signup(email.upper()).status == 302
    # No second account: the owner's password still opens the one account.
    assert Visitor(deployed, new_address()).login(email.upper(), PASSWORD).status == 302


def test_the_admin_form_refuses_an_address_in_other_case(deployed, mailbox):
    admin_email = new_email()
    deploy.create_admin(
        deployed.answers, deployed.project, deployed.env, admin_email, PASSWORD
    )
    user = new_email()
    register(deployed, mailbox, user)
    admin = Visitor(deployed, new_address())
    assert admin.login(admin_email, PASSWORD).status == 302
    listing = admin.client.get("/admin/user/?search=" + user.split("@")[0])
    match = re.search(r"/admin/user/edit/\?id=(\d+)", listing.body)
    assert match, listing.body[:2000]
    edit = f"/admin/user/edit/?id={match[1]}"
    for bad in (admin_email.upper(), "not an address"):
        response = admin.submit(edit, {"email": bad, "is_admin": ""})
        assert response.status == 200, (bad, response.status)
        assert "Already exists." in response.body or "Invalid email" in response.body
    assert Visitor(deployed, new_address()).login(user, PASSWORD).status == 302


# --------------------------------------------------------------------------
# The account page


def test_deleting_an_account_needs_its_password(deployed, mailbox):
    email = new_email()
    register(deployed, mailbox, email)
    thief = Visitor(deployed, new_address())
    assert thief.login(email, PASSWORD).status == 302
    page = thief.client.get("/auth/account")
    assert page.status == 200 and email in page.body
    refused = thief.submit(
        "/auth/account", {"password": WRONG}, post_to="/auth/account/delete"
    )
    assert refused.status == 400
    deleted = thief.submit(
        "/auth/account", {"password": PASSWORD}, post_to="/auth/account/delete"
    )
    assert deleted.status == 302
    assert Visitor(deployed, new_address()).login(email, PASSWORD).status == 200
