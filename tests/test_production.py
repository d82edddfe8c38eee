"""Production entry points as a host starts them: the Procfile's commands,
run as written, never read the development ``.env`` and stop with one clear
line when a required setting is missing."""

from __future__ import annotations

import re
import subprocess

import combos
import deploy
import projects
import pytest
import servers
import services
import shell

from testkit import deployment, environment, net

FRAMEWORKS = ["django", "flask"]


def procfile_command(project, name: str, port: int | None = None) -> list[str]:
    """The Procfile's ``name:`` line as the platform runs it: through a shell."""
    command = deployment.procfile(project)[name]
    if port is not None:
        command = command.replace("$PORT", str(port))
    return ["bash", "-c", command]


def without_debug(env: dict[str, str]) -> dict[str, str]:
    """The host's environment: debug is simply not set there."""
    return {k: v for k, v in env.items() if k not in ("DEBUG", "FLASK_DEBUG")}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_production_server_ignores_the_development_dotenv(
    framework, store, databases, tmp_path
):
    """A ``.env`` that turns debug on sits beside the code; the Procfile's web
    command, with debug unset in the environment, still serves production."""
    answers = combos.default_answers(framework)
    project = projects.ProjectStore.copy(store.get(answers), tmp_path / "site")
    dotenv = (project / ".env").read_text()
    assert re.search(r"^(DEBUG=true|FLASK_DEBUG=1)$", dotenv, re.M), dotenv
    venv = projects.venv_for(project)
    url = services.database_url(answers, databases, tmp_path)
    env = without_debug(deploy.production_env(framework, venv, url))
    deploy.prepare_production(answers, project, env)
    port = net.free_port()
    web = servers.Server(
        procfile_command(project, "web", port),
        cwd=project,
        env={**env, "PORT": str(port)},
        port=port,
        log=tmp_path / "web.log",
    )
    with web:
        client = web.client(**{"X-Forwarded-Proto": "https"})
        missing = client.get("/no-such-page")
        assert missing.status == 404
        # Django's debug 404 page names the URLconf; Werkzeug's debugger
        # would show its console.
        assert "URLconf" not in missing.body and "Traceback" not in missing.body
        home = client.get("/")
        assert home.status == 200, home.body[:500]
        assert home.header("Strict-Transport-Security"), "no HSTS: debug is on"
        assert all("Secure" in cookie for cookie in home.cookies()), home.cookies()


@pytest.mark.parametrize("process", ["web", "release"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_missing_secret_key_stops_with_one_line(framework, process, store, tmp_path):
    """No SECRET_KEY in production: the command exits non-zero with one line
    naming the setting, not a traceback."""
    answers = combos.default_answers(framework)
    project = deploy.production_copy(store.get(answers), tmp_path / "site")
    venv = projects.venv_for(project)
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = without_debug(deploy.production_env(framework, venv, url))
    del env["SECRET_KEY"]
    port = net.free_port()
    result = subprocess.run(
        procfile_command(project, process, port),
        cwd=project,
        env={**env, "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert "SECRET_KEY is not set" in output
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_secret_and_script_file_modes(framework, tmp_path):
    """The generated ``.env`` (it holds the secret key) is readable by its
    owner only; Django's ``manage.py`` is executable, in git too."""
    project = projects.generate(combos.default_answers(framework), tmp_path, git=True)
    assert (project / ".env").stat().st_mode & 0o077 == 0
    if framework == "django":
        assert (project / "manage.py").stat().st_mode & 0o111 == 0o111
        staged = subprocess.run(
            ["git", "ls-files", "--stage", "manage.py"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert staged.startswith("100755"), staged


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_copy_without_dotenv_makes_its_own_on_first_use(framework, store, tmp_path):
    """A downloaded project has no .env: the first development command typed
    at a terminal writes one with a key of its own; a server (SECRET_KEY set)
    never gets one, and a release step without a key fails (test above)."""
    answers = combos.default_answers(framework)
    project = deploy.production_copy(store.get(answers), tmp_path / "site")
    venv = projects.venv_for(project)
    env = environment.clean_env(venv)
    command = (
        ["python", "manage.py", "migrate", "--noinput"]
        if framework == "django"
        else ["flask", "db", "upgrade"]
    )
    server_env = deploy.production_env(framework, venv, None)
    shell.run(command, cwd=project, env=server_env)
    assert not (project / ".env").exists()

    shell.run_at_terminal(command, cwd=project, env=env)
    dotenv = project / ".env"
    assert dotenv.stat().st_mode & 0o077 == 0
    first = dotenv.read_text()
    key = re.search(r"^SECRET_KEY=(\S{40,})$", first, re.M)
    assert key, first
    assert key[1] not in (project / ".env.example").read_text()
    shell.run_at_terminal(command, cwd=project, env=env)
    assert dotenv.read_text() == first
