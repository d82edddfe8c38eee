"""Translations: French from the browser's preference or the switcher."""

from collections.abc import Callable

import pytest
from error_pages import ERRORS, error_page, failing_client
from flask import Flask
from flask.testing import FlaskClient


def page(client: FlaskClient, path: str = "/", **kwargs: object) -> str:
    return client.get(path, **kwargs).get_data(as_text=True)


def test_english_by_default(client: FlaskClient) -> None:
    html = page(client)
    assert '<html lang="en">' in html
    assert "<h1>Welcome</h1>" in html


def test_french_from_accept_language(client: FlaskClient) -> None:
    html = page(client, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in html
    assert "<h1>Bienvenue</h1>" in html
    assert "Votre nom" in html


def test_switcher_keeps_the_choice(client: FlaskClient) -> None:
    response = client.post("/language", data={"locale": "fr", "next": "/?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/?x=1"
    assert "<h1>Bienvenue</h1>" in page(client)
    client.post("/language", data={"locale": "en"})
    assert "<h1>Welcome</h1>" in page(client)


def test_switcher_ignores_unknown_languages_and_foreign_targets(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/language", data={"locale": "xx", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"
    assert "<h1>Welcome</h1>" in page(client)


def test_translated_messages(client: FlaskClient) -> None:
    client.post("/language", data={"locale": "fr"})
    response = client.post(
        "/", data={"author": "Ada", "body": "Bonjour"}, follow_redirects=True
    )
    assert "votre message a bien été reçu" in response.get_data(as_text=True)
    assert "Page introuvable" in page(client, "/no-such-page")


FRENCH_TITLES = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
}


@pytest.mark.parametrize("status", ERRORS)
def test_error_pages_in_french(app_with: Callable[..., Flask], status: int) -> None:
    html = error_page(failing_client(app_with), status, **{"Accept-Language": "fr"})
    assert '<html lang="fr">' in html
    assert f"Erreur {status}" in html
    assert f"<h1>{FRENCH_TITLES[status]}</h1>" in html
