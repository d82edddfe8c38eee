"""The development tools a generated project configures work as documented."""

from __future__ import annotations

import projects
import pytest
import yaml


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_pre_commit_hooks_pass_offline(framework, tmp_path):
    """Every hook is local (no repository to fetch), and the generated code
    passes them all."""
    answers = projects.default_answers(framework, tasks="celery", i18n=True)
    project = projects.generate(answers, tmp_path, git=True)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    fetched = [repo["repo"] for repo in config["repos"] if repo["repo"] != "local"]
    assert fetched == [], "these hooks would be fetched from the network"
    venv = projects.venv_for(project)
    env = projects.clean_env(venv, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    result = projects.run(
        ["pre-commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=project,
        env=env,
        timeout=300,
    )
    assert "Passed" in result.output, result.output
