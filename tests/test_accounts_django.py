"""Attacks on the Django project's accounts, against the real thing: the
generated project in production configuration, served by gunicorn with 2
workers over HTTPS, on each database server it supports.

Each test plays what an attacker (or a careless admin) does with curl and
checks the answer the project now gives.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import combos
import deploy
import mailserver
import projects
import pytest
import servers
import services
from playwright.sync_api import expect, sync_playwright
from shell import run

#: (database, tasks): every database server, and Redis as the store.
SETUPS = [
    ("sqlite", "none"),
    ("postgresql", "none"),
    ("mysql", "none"),
    ("postgresql", "celery"),
]
PASSWORD = "Plenty-of-entropy-4-tests"
ADMIN = "admin@example.com"
#: Far more attempts than any limit allows.
ATTEMPTS = 50


@dataclass
class Site:
    """A deployed project, the SMTP server its email goes to, and loopback
    addresses of its own."""

    app: deploy.Deployed
    mail: mailserver.Mailbox
    #: 127.X.Y.0/24: every test takes new client addresses from it, so the
    #: counts of other tests (and of other runs sharing Redis) never mix.
    network: str
    next_host: int = 1

    def __getattr__(self, name: str):
        return getattr(self.app, name)

    def address(self) -> str:
        self.next_host += 1
        assert self.next_host < 255
        return f"{self.network}.{self.next_host}"

    def client(self, address: str | None = None) -> servers.Client:
        return servers.Client(self.app.server, source=address or self.address())

    def emails_sent(self) -> int:
        """How many emails the SMTP server has received, once the project
        has sent what it had to (it sends after the response, or from its
        Celery worker)."""
        return self.mail.settled_count()


@contextmanager
def celery_worker(
    project: Path, venv: Path, env: dict[str, str], workdir: Path
) -> Iterator[str]:
    """A Redis server of this fixture's own and the project's Celery worker
    on it: the project's emails go out from the worker, as in production.
    Yields the ``REDIS_URL``."""
    command = [
        str(venv / "bin/celery"),
        "-A",
        project_package(project),
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "info",
    ]
    with servers.private_redis(workdir) as url:
        worker = servers.Server(
            command,
            cwd=project,
            env={**env, "REDIS_URL": url},
            port=0,
            log=workdir / "celery.log",
            ready_output=r"celery@\S+ ready",
        )
        with worker:
            yield url


def project_package(project: Path) -> str:
    return next(path.parent.name for path in project.glob("*/settings.py"))


@pytest.fixture(scope="module", params=SETUPS, ids=["-".join(s) for s in SETUPS])
def deployed(request, store, tls, tmp_path_factory) -> Iterator[Site]:
    """The default Django project on ``database`` (with ``tasks``), in
    production mode as deploy.production_server prepares it, sending its
    email over SMTP to a server the test runs (from a Celery worker with
    Redis, when it has them), and a superuser ``admin@example.com``."""
    database, tasks = request.param
    answers = combos.default_answers("django", database=database, tasks=tasks)
    workdir = tmp_path_factory.mktemp(f"accounts-django-{database}-{tasks}")
    made = services.Databases()
    try:
        project = deploy.production_copy(store.get(answers), workdir)
        venv = projects.venv_for(project)
        url = services.database_url(answers, made, workdir)
        with ExitStack() as stack:
            mail = stack.enter_context(mailserver.smtp_server())
            env = deploy.production_env("django", venv, url, **mail.env())
            if tasks == "celery":
                env["REDIS_URL"] = stack.enter_context(
                    celery_worker(project, venv, env, workdir)
                )
            deploy.prepare_production(answers, project, env)
            log = workdir / "gunicorn.log"
            server = stack.enter_context(
                servers.gunicorn(project, venv, env, log, workers=2, tls=tls)
            )
            app = deploy.Deployed(answers, project, venv, env, server)
            deploy.create_admin(answers, project, env, ADMIN, PASSWORD)
            network = f"127.{random.randrange(1, 255)}.{random.randrange(0, 255)}"
            yield Site(app, mail, network)
    finally:
        made.drop_all()


def origin_headers(app: Site, path: str) -> dict[str, str]:
    """What a browser sends with a form posted from the site's own page."""
    return {"Origin": app.url, "Referer": app.url + path}


def post_form(
    app: Site, client: servers.Client, path: str, form: dict[str, str]
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
    app: Site, client: servers.Client, email: str, password: str
) -> servers.Response:
    return post_form(
        app, client, "/accounts/login/", {"username": email, "password": password}
    )


def sign_up(
    app: Site, client: servers.Client, email: str, password: str = PASSWORD
) -> servers.Response:
    form = {"email": email, "password1": password, "password2": password}
    return post_form(app, client, "/accounts/signup/", form)


def manage(app: Site, *args: str, check: bool = True):
    return run(
        ["python", "manage.py", *args], cwd=app.project, env=app.env, check=check
    )


def user_emails(app: Site) -> list[str]:
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
        "        ' last_name, is_staff, is_active, date_joined, email_verified,'\n"
        "        ' session_generation, email)'\n"
        "        ' VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)',\n"
        "        ['!', False, '', '', False, True, timezone.now(), True, 0,\n"
        "         'ADMIN@Example.com'],\n"
        "    )\n"
    )
    result = manage(deployed, "shell", "-c", code, check=False)
    assert result.returncode != 0, "the database accepted ADMIN@Example.com"
    assert "IntegrityError" in result.output, result.output[-2000:]
    # Refused as a duplicate (not for a column the INSERT left out).
    assert re.search(r"unique|duplicate", result.output, re.IGNORECASE), result.output[
        -2000:
    ]
    assert user_emails(deployed).count(ADMIN) == 1


def test_sign_up_with_a_case_variant_makes_no_second_account(deployed):
    client = deployed.client()
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
    client = deployed.client()
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
        answer = log_in(deployed, deployed.client(), email, PASSWORD)
        assert answer.status == 302, f"login as {email}: {answer.status}"


# --------------------------------------------------------------------------
# Throttling (issue 10, item 1): each attack is spread over both workers.


def create_user(site: Site, *emails: str) -> None:
    """Accounts whose addresses are verified, made in one shell."""
    code = "from django.contrib.auth import get_user_model\n" + "".join(
        f"get_user_model().objects.create_user(email={email!r}, "
        f"password={PASSWORD!r}, email_verified=True)\n"
        for email in emails
    )
    manage(site, "shell", "-c", code)


def new_email(site: Site, name: str) -> str:
    return f"{name}-{site.network.replace('.', '-')}@example.com"


def statuses(responses: list[servers.Response]) -> list[int]:
    return [response.status for response in responses]


def test_guessing_one_password_is_stopped(deployed):
    """50 wrong passwords from one address, then the right one: 429."""
    email = new_email(deployed, "guessed")
    create_user(deployed, email)
    client = deployed.client()
    answers = statuses(
        [log_in(deployed, client, email, f"wrong-{n}") for n in range(ATTEMPTS)]
    )
    assert answers.count(200) < ATTEMPTS and answers[-1] == 429, answers
    assert set(answers) == {200, 429}, answers
    right = log_in(deployed, client, email, PASSWORD)
    assert right.status == 429, right.status
    assert "Too many requests" in right.body


def test_guessing_from_many_addresses_locks_the_account(deployed):
    """Each wrong password from another address, in another case: the
    account is still locked for everyone, the right password included."""
    email = new_email(deployed, "spread")
    create_user(deployed, email)
    answers = []
    for n in range(ATTEMPTS):
        variant = email.upper() if n % 2 else email
        client = deployed.client()
        answers.append(log_in(deployed, client, variant, f"wrong-{n}").status)
    assert answers[-1] == 429 and 200 in answers, answers
    right = log_in(deployed, deployed.client(), email, PASSWORD)
    assert right.status == 429, right.status


def test_trying_many_accounts_from_one_address_is_stopped(deployed):
    """Password spraying: one address, a new account each time, then a real
    login from that address is refused while another address gets in."""
    email = new_email(deployed, "sprayed")
    create_user(deployed, email)
    address = deployed.address()
    answers = [
        log_in(deployed, deployed.client(address), f"x{n}@example.com", "guess").status
        for n in range(ATTEMPTS)
    ]
    assert answers[-1] == 429, answers
    assert log_in(deployed, deployed.client(address), email, PASSWORD).status == 429
    assert log_in(deployed, deployed.client(), email, PASSWORD).status == 302


def test_admin_login_is_throttled(deployed):
    email = new_email(deployed, "staff")
    manage(
        deployed,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser({email!r}, {PASSWORD!r})",
    )
    path = "/admin/login/?next=/admin/"
    client = deployed.client()
    answers = statuses(
        [
            post_form(deployed, client, path, {"username": email, "password": "no"})
            for _ in range(ATTEMPTS)
        ]
    )
    assert answers[-1] == 429, answers
    right = post_form(deployed, client, path, {"username": email, "password": PASSWORD})
    assert right.status == 429, right.status


def test_signing_up_in_bulk_is_stopped(deployed):
    client = deployed.client()
    tag = deployed.network.replace(".", "-")
    emails = [f"bulk{n}-{tag}@example.com" for n in range(ATTEMPTS)]
    answers = statuses([sign_up(deployed, client, email) for email in emails])
    assert answers[-1] == 429 and 302 in answers, answers
    created = [email for email in user_emails(deployed) if email in emails]
    assert len(created) == answers.count(302) < 10, answers


def test_sign_ups_with_one_address_are_stopped(deployed):
    """Each sign-up with a taken address emails its owner: from many client
    addresses, the owner still gets only a few."""
    email = new_email(deployed, "popular")
    create_user(deployed, email)
    before = deployed.emails_sent()
    answers = statuses(
        [sign_up(deployed, deployed.client(), email) for _ in range(ATTEMPTS // 2)]
    )
    assert answers[-1] == 429 and 302 in answers, answers
    assert deployed.emails_sent() - before == answers.count(302) < 10


def test_password_reset_requests_are_stopped(deployed):
    """Resets for one address from many client addresses, then many
    addresses from one client: both end in 429, and few emails go out."""
    email = new_email(deployed, "forgetful")
    create_user(deployed, email)
    before = deployed.emails_sent()
    one_account = statuses(
        [
            post_form(
                deployed,
                deployed.client(),
                "/accounts/password_reset/",
                {"email": email},
            )
            for _ in range(ATTEMPTS // 2)
        ]
    )
    assert one_account[-1] == 429 and 302 in one_account, one_account
    client = deployed.client()
    one_client = statuses(
        [
            post_form(
                deployed, client, "/accounts/password_reset/", {"email": f"r{n}@x.org"}
            )
            for n in range(ATTEMPTS // 2)
        ]
    )
    assert one_client[-1] == 429 and 302 in one_client, one_client
    assert deployed.emails_sent() - before == one_account.count(302) < 10


def test_contact_form_flooding_is_stopped(deployed):
    """20 posts of the contact form used to send 20 emails."""
    before = deployed.emails_sent()
    client = deployed.client()
    form = {"name": "Spam", "email": "spam@example.com", "message": "Buy now."}
    answers = statuses(
        [post_form(deployed, client, "/contact/", form) for _ in range(20)]
    )
    assert answers[-1] == 429 and 302 in answers, answers
    assert deployed.emails_sent() - before == answers.count(302) < 10


# --------------------------------------------------------------------------
# Sessions end when they should (issue 10, item 2): a session cookie copied
# from the user's browser (a shared computer, a stolen laptop, malware) is
# replayed from another client after the user logged out or changed the
# password.

ACCOUNT_PAGE = "/accounts/password_change/"


def logged_in_client(
    site: Site, email: str, password: str = PASSWORD
) -> servers.Client:
    client = site.client()
    response = log_in(site, client, email, password)
    assert response.status == 302, f"login as {email}: {response.status}"
    return client


def replay(site: Site, victim: servers.Client) -> servers.Client:
    """Another client (another address) holding a copy of the victim's cookies."""
    thief = site.client()
    thief.jar = dict(victim.jar)
    return thief


def opens_account(client: servers.Client) -> bool:
    response = client.get(ACCOUNT_PAGE)
    assert response.status in (200, 302), response.status
    return response.status == 200


def log_out(site: Site, client: servers.Client) -> None:
    page = client.get("/")
    token = servers.csrf_token(page.body)
    response = client.post(
        "/accounts/logout/",
        {"csrfmiddlewaretoken": token},
        headers=origin_headers(site, "/"),
    )
    assert response.status == 302, response.status


def test_logout_ends_every_other_session(deployed):
    email = new_email(deployed, "leaving")
    create_user(deployed, email)
    laptop = logged_in_client(deployed, email)
    phone = logged_in_client(deployed, email)
    thief = replay(deployed, laptop)
    assert opens_account(thief), "the copied cookie did not work before logout"
    log_out(deployed, laptop)
    assert not opens_account(thief), "a copied session cookie outlived the logout"
    assert not opens_account(phone), "logout left the user's other session open"
    assert opens_account(logged_in_client(deployed, email))


def test_password_change_ends_the_other_sessions(deployed):
    email = new_email(deployed, "changing")
    create_user(deployed, email)
    laptop = logged_in_client(deployed, email)
    thief = replay(deployed, laptop)
    assert opens_account(thief)
    new_password = "Another-long-passphrase-2"
    response = post_form(
        deployed,
        laptop,
        ACCOUNT_PAGE,
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert response.status == 302, response.body[:2000]
    assert opens_account(laptop), "the session that changed the password was ended"
    assert not opens_account(thief), "a copied session cookie outlived the new password"


def test_password_reset_ends_every_session(deployed):
    email = new_email(deployed, "resetting")
    create_user(deployed, email)
    thief = replay(deployed, logged_in_client(deployed, email))
    assert opens_account(thief)
    client = deployed.client()
    response = post_form(
        deployed, client, "/accounts/password_reset/", {"email": email}
    )
    assert response.status == 302
    message = deployed.mail.wait_for(mailserver.to(email))
    link = urlsplit(mailserver.links(message)[0]).path
    form_page = client.get(link)
    assert form_page.status == 302, form_page.status
    new_password = "Reset-to-a-long-passphrase-3"
    form = {"new_password1": new_password, "new_password2": new_password}
    done = post_form(deployed, client, form_page.header("Location"), form)
    assert done.status == 302 and done.header("Location") == "/accounts/reset/done/"
    assert not opens_account(thief), "a copied session cookie outlived the reset"
    assert log_in(deployed, deployed.client(), email, new_password).status == 302


def test_login_gives_a_new_session_id(deployed):
    """Session fixation: the attacker logs into an account of their own and
    plants that session cookie in the victim's browser; when the victim
    logs in, the victim gets a new session id, and the planted one opens
    neither account."""
    attacker_email, victim_email = (
        new_email(deployed, "fixer"),
        new_email(deployed, "fixed"),
    )
    create_user(deployed, attacker_email, victim_email)
    attacker = logged_in_client(deployed, attacker_email)
    planted = attacker.jar["sessionid"]
    victim = deployed.client()
    victim.jar["sessionid"] = planted
    assert log_in(deployed, victim, victim_email, PASSWORD).status == 302
    assert victim.jar["sessionid"] != planted
    assert opens_account(victim)
    assert not opens_account(attacker), "the planted session id still opens an account"


def test_login_rotates_the_csrf_token(deployed):
    """An attacker who planted a CSRF cookie in the victim's browser (and so
    knows a token for it) cannot post as the victim once the victim has
    logged in: login gives the browser a new CSRF secret."""
    email = new_email(deployed, "rotated")
    create_user(deployed, email)
    victim = deployed.client()
    known = servers.csrf_token(victim.get("/accounts/login/").body)
    planted = victim.jar["csrftoken"]
    assert log_in(deployed, victim, email, PASSWORD).status == 302
    assert victim.jar["csrftoken"] != planted
    forged = victim.post(
        "/accounts/logout/",
        {"csrfmiddlewaretoken": known},
        headers=origin_headers(deployed, "/"),
    )
    assert forged.status == 403, forged.status
    assert opens_account(victim)


# --------------------------------------------------------------------------
# No account enumeration (issue 10, item 3): sign-up, password reset and
# login answer alike, and in about the same time, for an address with an
# account and one without.

#: Requests timed for each kind of address; the medians are compared.
TIMED = 7


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def assert_alike_in_time(site: Site, known, unknown) -> None:
    """``known()`` and ``unknown()`` (each posting from a new client address,
    past the throttles) take within 2x of each other, as medians of
    alternating runs after one of each to warm up."""
    known(), unknown()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for _ in range(TIMED):
        for name, action in (("known", known), ("unknown", unknown)):
            times[name].append(timed(action))
            # Let the email of the last request go out before the next.
            time.sleep(0.3)
    medians = {name: statistics.median(values) for name, values in times.items()}
    slow, fast = max(medians.values()), min(medians.values())
    assert slow < 2 * fast, f"medians {medians}, all times {times}"


def test_sign_up_does_not_tell_which_addresses_have_accounts(deployed):
    """Sign-up used to say "An account with this email address already
    exists". Now a taken address gets the answer a new one gets, and its
    owner is told by email."""
    fresh = new_email(deployed, "newcomer")
    answers = {}
    for email in (fresh, ADMIN.upper()):
        client = deployed.client()
        response = sign_up(deployed, client, email, "Someone-elses-passphrase-9")
        assert response.status == 302, response.body[:2000]
        page = client.get(response.header("Location"))
        answers[email] = (response.header("Location"), csrf_free(page.body))
    assert answers[fresh] == answers[ADMIN.upper()]
    assert "already" not in answers[fresh][1]
    note = deployed.mail.wait_for(mailserver.to(ADMIN))
    assert "already has an account" in mailserver.text(note)
    link = deployed.mail.wait_for(mailserver.to(fresh))
    assert "/accounts/verify/" in mailserver.text(link)
    # The admin's password is unchanged.
    assert log_in(deployed, deployed.client(), ADMIN, PASSWORD).status == 302


def csrf_free(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_sign_up_takes_as_long_for_a_taken_address(deployed):
    tag = deployed.network.replace(".", "-")
    count = iter(range(100))
    # An account for each sign-up: a few an hour per address are allowed.
    known_emails = [new_email(deployed, f"signup-timed{n}") for n in range(TIMED + 1)]
    create_user(deployed, *known_emails)
    known_left = iter(known_emails)

    def known():
        assert sign_up(deployed, deployed.client(), next(known_left)).status == 302

    def unknown():
        email = f"timed{next(count)}-{tag}@example.com"
        assert sign_up(deployed, deployed.client(), email).status == 302

    assert_alike_in_time(deployed, known, unknown)


def test_password_reset_takes_as_long_for_an_unknown_address(deployed):
    """It used to take 54 ms for an address with an account (the email was
    sent within the request) and 5 ms for one without."""
    known_emails = [new_email(deployed, f"reset-timed{n}") for n in range(TIMED + 1)]
    create_user(deployed, *known_emails)
    known_left = iter(known_emails)
    count = iter(range(100))

    def reset(email: str) -> None:
        response = post_form(
            deployed, deployed.client(), "/accounts/password_reset/", {"email": email}
        )
        assert response.status == 302, response.status

    assert_alike_in_time(
        deployed,
        lambda: reset(next(known_left)),
        lambda: reset(f"nobody{next(count)}-{deployed.network}@example.com"),
    )
    for email in known_emails:
        deployed.mail.wait_for(mailserver.to(email))


def test_login_takes_as_long_for_an_unknown_address(deployed):
    """A wrong password for an account and any password for an address
    without one: the password is hashed either way."""
    email = new_email(deployed, "login-timed")
    create_user(deployed, email)
    count = iter(range(100))

    def known():
        assert (
            log_in(deployed, deployed.client(), email, "wrong-password").status == 200
        )

    def unknown():
        nobody = f"nobody{next(count)}-{deployed.network}@example.com"
        assert (
            log_in(deployed, deployed.client(), nobody, "wrong-password").status == 200
        )

    assert_alike_in_time(deployed, known, unknown)


# --------------------------------------------------------------------------
# Email verification (issue 10, item 5)


def test_nobody_gets_an_account_with_someone_elses_address(deployed):
    """The attacker signs up with the victim's address. The account cannot
    log in until the address is confirmed, and the link that confirms it
    (in the victim's mailbox) asks for the password the attacker chose."""
    victim = new_email(deployed, "victim")
    attacker = deployed.client()
    assert sign_up(deployed, attacker, victim).status == 302
    refused = log_in(deployed, attacker, victim, PASSWORD)
    assert refused.status == 200, refused.status
    assert "Confirm your email address first" in refused.body
    assert not opens_account(attacker)
    # The victim follows the link but does not know the password.
    link = urlsplit(
        mailserver.links(deployed.mail.wait_for(mailserver.to(victim)))[0]
    ).path
    clicker = deployed.client()
    form = clicker.get(link)
    assert form.status == 200 and victim in form.body
    wrong = post_form(deployed, clicker, link, {"password": "not-the-password"})
    assert wrong.status == 200 and "errorlist" in wrong.body
    assert not opens_account(clicker)
    assert log_in(deployed, deployed.client(), victim, PASSWORD).status == 200


def test_a_verification_link_confirms_the_address_once(deployed):
    email = new_email(deployed, "verified")
    client = deployed.client()
    assert sign_up(deployed, client, email).status == 302
    link = urlsplit(
        mailserver.links(deployed.mail.wait_for(mailserver.to(email)))[0]
    ).path
    confirmed = post_form(deployed, client, link, {"password": PASSWORD})
    assert confirmed.status == 302, confirmed.body[:2000]
    assert opens_account(client)
    assert log_in(deployed, deployed.client(), email, PASSWORD).status == 302
    assert deployed.client().get(link).status == 404
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/forged-token/"
    assert deployed.client().get(forged).status == 404


# --------------------------------------------------------------------------
# The account page (issue 10, item 8)


def test_deleting_an_account_needs_its_password(deployed):
    """A session cookie alone (a thief's copy) does not delete the account."""
    email = new_email(deployed, "deleted")
    create_user(deployed, email)
    owner = logged_in_client(deployed, email)
    home = owner.get("/")
    assert 'href="/accounts/account/"' in home.body
    page = owner.get("/accounts/account/")
    assert page.status == 200 and email in page.body
    thief = replay(deployed, owner)
    refused = post_form(deployed, thief, "/accounts/account/", {"password": "guess"})
    assert refused.status == 200 and "errorlist" in refused.body
    assert email in user_emails(deployed)
    deleted = post_form(deployed, owner, "/accounts/account/", {"password": PASSWORD})
    assert deleted.status == 302, deleted.body[:2000]
    assert email not in user_emails(deployed)
    assert not opens_account(thief)


# --------------------------------------------------------------------------
# Content-Security-Policy (issue 10, item 7): the admin works under it.

POLICY_VIOLATION = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


@pytest.fixture(scope="module")
def browser(chromium) -> Iterator[object]:
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.mark.browser
def test_admin_works_under_the_content_security_policy(deployed, browser, screenshots):
    """Click through the admin as a person would, under the policy the site
    sends: log in, list users, add one, edit it, filter, pick an action, and
    delete it from its confirmation page. The browser reports no blocked
    script, style or image, and every step does what it says."""
    home = deployed.client().get("/")
    policy = home.header("Content-Security-Policy") or ""
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy, policy
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if POLICY_VIOLATION.search(m.text) else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " console.error('Content Security Policy blocked ' + e.blockedURI"
        " + ' (' + e.violatedDirective + ')'))"
    )
    shot = 0

    def screenshot(step: str) -> None:
        nonlocal shot
        shot += 1
        name = f"django-admin-csp-{shot:02d}-{step}.png"
        page.screenshot(path=str(screenshots / name), full_page=True)

    def navigate(action) -> None:
        with page.expect_navigation():
            action()

    try:
        page.goto(deployed.url + "/admin/")
        page.fill("#id_username", ADMIN)
        page.fill("#id_password", PASSWORD)
        navigate(lambda: page.click("input[type=submit]"))
        expect(page.locator("#site-name")).to_be_visible()
        screenshot("index")

        navigate(lambda: page.get_by_role("link", name="Users").first.click())
        expect(page.locator("#result_list")).to_contain_text(ADMIN)
        screenshot("users")

        # Add a user: the form's "usable password" switch is the admin's
        # own script (it hides the password fields when turned off).
        navigate(lambda: page.locator("a.addlink").first.click())
        email = new_email(deployed, "clicked")
        page.fill("#id_email", email)
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        screenshot("add-user")
        navigate(lambda: page.locator("input[name=_save]").click())
        expect(page.locator(".messagelist")).to_contain_text(email)

        # The change form: its date widgets ("Today", the calendar) are
        # added by the admin's scripts.
        joined = page.locator(".field-date_joined")
        expect(joined.locator(".datetimeshortcuts").first).to_be_visible()
        joined.locator(".datetimeshortcuts a", has_text="Today").click()
        joined.locator(".datetimeshortcuts a", has_text="Now").click()
        page.fill("#id_first_name", "Clicked")
        screenshot("change-user")
        navigate(lambda: page.locator("input[name=_save]").click())
        expect(page.locator(".messagelist")).to_contain_text("changed successfully")

        # The changelist's search, filter and action bar (scripted counter).
        page.fill("#searchbar", email)
        navigate(lambda: page.locator("#changelist-search input[type=submit]").click())
        expect(page.locator("#result_list")).to_contain_text(email)
        page.locator("#result_list input.action-select").first.check()
        expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
        page.select_option("select[name=action]", "delete_selected")
        screenshot("action-selected")
        navigate(lambda: page.locator("button[name=index]").click())
        expect(page.locator("#content")).to_contain_text("Are you sure")
        screenshot("delete-confirmation")
        navigate(lambda: page.locator("input[type=submit]").last.click())
        expect(page.locator(".messagelist")).to_contain_text("Successfully deleted")
        screenshot("deleted")
        found = list(blocked)
        # The watch works: an image from another site is blocked and seen.
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend',"
            " '<img src=\"https://elsewhere.example/pixel.png\">')"
        )
        page.wait_for_timeout(500)
        assert any("elsewhere.example" in line for line in blocked), blocked
    finally:
        context.close()
    assert email not in user_emails(deployed)
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_verification_and_password_reset_in_a_browser(deployed, browser, screenshots):
    """A person signs up, confirms the address from the email, finds the
    account page in the navigation, logs out, forgets the password and
    resets it from the email: each step in Chromium, under the site's
    Content-Security-Policy, with a screenshot."""
    email = new_email(deployed, "browser")
    new_password = "Chosen-again-in-a-browser-7"
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if POLICY_VIOLATION.search(m.text) else None,
    )
    shot = 0

    def screenshot(step: str) -> None:
        nonlocal shot
        shot += 1
        name = f"django-accounts-{shot:02d}-{step}.png"
        page.screenshot(path=str(screenshots / name), full_page=True)

    def submit(label: str) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=label).click()

    def emailed_link(subject: str) -> str:
        message = deployed.mail.wait_for(
            lambda m: mailserver.to(email)(m) and subject in str(m["Subject"])
        )
        return urlsplit(mailserver.links(message)[0]).path

    try:
        page.goto(deployed.url + "/accounts/signup/")
        page.fill("#id_email", email)
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        submit("Sign up")
        expect(page.locator("h1")).to_have_text("Check your email")
        screenshot("signup-done")

        page.goto(deployed.url + emailed_link("Confirm your email address"))
        expect(page.locator("main")).to_contain_text(email)
        screenshot("verify")
        page.fill("#id_password", PASSWORD)
        submit("Confirm and log in")
        expect(page.locator(".messages")).to_contain_text(
            "Your email address is confirmed"
        )
        screenshot("verified")

        with page.expect_navigation():
            page.get_by_role("link", name="Your account").click()
        expect(page.locator("main")).to_contain_text(email)
        expect(page.get_by_role("button", name="Delete my account")).to_be_visible()
        screenshot("account")

        submit("Log out")
        page.goto(deployed.url + "/accounts/password_reset/")
        page.fill("#id_email", email)
        submit("Send me a reset link")
        expect(page.locator("h1")).to_have_text("Check your email")
        screenshot("reset-requested")

        page.goto(deployed.url + emailed_link("Reset your password"))
        page.fill("#id_new_password1", new_password)
        page.fill("#id_new_password2", new_password)
        screenshot("reset-form")
        submit("Change password")
        expect(page.locator("main")).to_contain_text("Your new password is set")

        page.goto(deployed.url + "/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", new_password)
        submit("Log in")
        expect(page.get_by_role("link", name="Your account")).to_be_visible()
        screenshot("logged-in-with-new-password")
    finally:
        context.close()
    assert not blocked, "\n".join(blocked)
