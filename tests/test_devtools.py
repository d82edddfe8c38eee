"""The development tools a generated project configures work as documented."""

from __future__ import annotations

import combos
import projects
import pytest
import shell
import yaml

from testkit import deployment, environment


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_pre_commit_hooks_pass_offline(framework, tmp_path):
    """Every hook is local (no repository to fetch), and the generated code
    passes them all."""
    answers = combos.default_answers(framework, tasks="celery", i18n=True)
    project = projects.generate(answers, tmp_path, git=True)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    fetched = [repo["repo"] for repo in config["repos"] if repo["repo"] != "local"]
    assert fetched == [], "these hooks would be fetched from the network"
    venv = projects.venv_for(project)
    env = environment.clean_env(venv, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    result = shell.run(
        ["pre-commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=project,
        env=env,
        timeout=300,
    )
    assert "Passed" in result.output, result.output


def test_flask_db_migrate_writes_lint_clean_revisions_only_for_changes(tmp_path):
    """``flask db migrate`` as a user runs it (the project's .env, its venv):
    nothing changed, nothing written; a new model, one revision that passes the
    project's own ruff check, format check and type check, and applies."""
    answers = combos.default_answers("flask")
    project = projects.generate(answers, tmp_path)
    venv = projects.venv_for(project)
    env = environment.clean_env(venv)
    versions = project / "migrations" / "versions"
    shipped = sorted(versions.glob("*.py"))
    shell.run(["flask", "db", "upgrade"], cwd=project, env=env)
    shell.run(["flask", "db", "migrate", "-m", "nothing"], cwd=project, env=env)
    assert sorted(versions.glob("*.py")) == shipped
    models = deployment.package_dir(project) / "models.py"
    models.write_text(
        models.read_text()
        + "\n\nclass Tag(Base):\n"
        + '    __tablename__ = "tags"\n'
        + "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        + "    name: Mapped[str] = mapped_column(String(40), unique=True)\n"
    )
    shell.run(["flask", "db", "migrate", "-m", "add tags"], cwd=project, env=env)
    (revision,) = set(versions.glob("*.py")) - set(shipped)
    assert "create_table" in revision.read_text()
    shell.run(["ruff", "check", "."], cwd=project, env=env)
    shell.run(["ruff", "format", "--check", "."], cwd=project, env=env)
    shell.run(["mypy"], cwd=project, env=env)
    shell.run(["flask", "db", "upgrade"], cwd=project, env=env)
