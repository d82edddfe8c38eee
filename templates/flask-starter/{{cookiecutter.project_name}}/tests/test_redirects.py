"""Redirect targets from a request: this site's paths only."""

import pytest

from {{ cookiecutter.project_slug }}.redirects import safe_redirect_target


@pytest.mark.parametrize("target", ["/", "/auth/password", "/page?x=1#top"])
def test_local_redirect_targets(target: str) -> None:
    assert safe_redirect_target(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
    ],
)
def test_foreign_redirect_targets(target: str | None) -> None:
    assert safe_redirect_target(target) is None
