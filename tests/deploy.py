"""A generated project deployed as its README says: production settings from
the environment, the release step, gunicorn, and what each framework's pages
are called (the template contract)."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from combos import has_database
from projects import ProjectStore, venv_for
from servers import TLS, Server, gunicorn
from shell import run

from generator.catalogue import Answers
from testkit.environment import clean_env


def platform_env(bin_dir: Path, **variables: str) -> dict[str, str]:
    """The environment of a CI runner or a host's process: this machine's
    basics (PATH, HOME, pip's certificate and index settings) minus anything
    of a project's or of this test run, ``bin_dir`` (the Python the platform
    provides) first on PATH, then ``variables``.  Bytecode is written as
    usual: nothing here is shared."""
    env = clean_env(bytecode=True)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.update(variables)
    return env


def new_secret_key() -> str:
    return secrets.token_urlsafe(45)  # 60 characters


def production_env(
    framework: str, venv: Path, database_url: str | None, **extra: str
) -> dict[str, str]:
    """A production environment as the generated README describes it."""
    settings = {"SECRET_KEY": new_secret_key(), "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    if framework == "django":
        settings.update(DEBUG="false")
    else:
        # Behind one proxy, as on every host: X-Forwarded-Proto is believed.
        settings.update(FLASK_DEBUG="0", FORWARDED_PROXIES="1")
    if database_url:
        settings["DATABASE_URL"] = database_url
    settings.update(extra)
    return clean_env(venv, **settings)


def production_copy(project: Path, dest: Path) -> Path:
    """A copy as a server would hold it: no local ``.env`` (it is git- and
    docker-ignored, so a deployment never has it)."""
    copy = ProjectStore.copy(project, dest)
    (copy / ".env").unlink(missing_ok=True)
    return copy


# --------------------------------------------------------------------------
# What each framework's generated project offers (the template contract)


@dataclass(frozen=True)
class Contract:
    signup: str
    signup_fields: tuple[str, str, str]  # email, password, confirmation
    login: str
    login_fields: tuple[str, str]  # email, password
    admin: str
    admin_users: str
    #: The link sign-up emails to confirm the address, and the fields its
    #: page asks for (none: the page confirms, then the user logs in).
    verify_link: str
    verify_fields: tuple[str, ...] = ()

    @staticmethod
    def of(framework: str) -> Contract:
        return CONTRACTS[framework]


CONTRACTS = {
    "django": Contract(
        signup="/accounts/signup/",
        signup_fields=("email", "password1", "password2"),
        login="/accounts/login/",
        login_fields=("username", "password"),
        admin="/admin/",
        admin_users="/admin/accounts/user/",
        verify_link="/accounts/verify/",
        verify_fields=("password",),
    ),
    "flask": Contract(
        signup="/auth/signup",
        signup_fields=("email", "password", "confirm"),
        login="/auth/login",
        login_fields=("email", "password"),
        admin="/admin/",
        admin_users="/admin/user/",
        verify_link="/auth/verify/",
    ),
}


def prepare_production(answers: Answers, project: Path, env: Mapping[str, str]) -> None:
    """What a deployment runs before serving: the Procfile's release step (or
    its equivalent) and, for Django, collectstatic."""
    if answers["framework"] == "django":
        python = ["python", "manage.py"]
        run([*python, "migrate", "--noinput"], cwd=project, env=env)
        run([*python, "collectstatic", "--noinput"], cwd=project, env=env)
    elif has_database(answers):
        run(["flask", "db", "upgrade"], cwd=project, env=env)


def create_admin(
    answers: Answers, project: Path, env: Mapping[str, str], email: str, password: str
) -> None:
    if answers["framework"] == "django":
        admin_env = {
            **env,
            "DJANGO_SUPERUSER_EMAIL": email,
            "DJANGO_SUPERUSER_PASSWORD": password,
        }
        run(
            ["python", "manage.py", "createsuperuser", "--noinput"],
            cwd=project,
            env=admin_env,
        )
    else:
        run(
            ["flask", "create-admin", "--email", email, "--password", password],
            cwd=project,
            env=env,
        )


@dataclass
class Deployed:
    """A generated project running in production mode."""

    answers: Answers
    project: Path
    venv: Path
    env: dict[str, str]
    server: Server

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def contract(self) -> Contract:
        return Contract.of(self.answers["framework"])


@contextlib.contextmanager
def production_server(
    answers: Answers,
    store: ProjectStore,
    workdir: Path,
    *,
    database_url: str,
    tls: TLS | None = None,
    workers: int = 2,
    **extra: str,
) -> Iterator[Deployed]:
    """Generate (or reuse) the project, prepare it as a deployment would
    (release step, collectstatic) and serve it with gunicorn on 127.0.0.1;
    ``extra`` adds to its environment."""
    project = production_copy(store.get(answers), workdir)
    venv = venv_for(project)
    env = production_env(answers["framework"], venv, database_url, **extra)
    prepare_production(answers, project, env)
    log = workdir / "gunicorn.log"
    with gunicorn(project, venv, env, log, workers=workers, tls=tls) as server:
        yield Deployed(answers, project, venv, env, server)
