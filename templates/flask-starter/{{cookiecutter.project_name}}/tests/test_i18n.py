"""Translations: French from the browser's preference or the switcher."""

from flask.testing import FlaskClient


def test_english_by_default(client: FlaskClient) -> None:
    response = client.get("/")
    assert b'<html lang="en">' in response.data
    assert b"<h1>Welcome</h1>" in response.data


def test_french_from_accept_language(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert b'<html lang="fr">' in response.data
    assert "<h1>Bienvenue</h1>".encode() in response.data
    assert "Votre nom".encode() in response.data


def test_switcher_keeps_the_choice(client: FlaskClient) -> None:
    response = client.post("/language", data={"locale": "fr", "next": "/?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/?x=1"
    assert "<h1>Bienvenue</h1>".encode() in client.get("/").data
    client.post("/language", data={"locale": "en"})
    assert b"<h1>Welcome</h1>" in client.get("/").data


def test_switcher_ignores_unknown_languages_and_foreign_targets(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/language", data={"locale": "xx", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"
    assert b"<h1>Welcome</h1>" in client.get("/").data


def test_translated_messages(client: FlaskClient) -> None:
    client.post("/language", data={"locale": "fr"})
    response = client.post(
        "/", data={"author": "Ada", "body": "Bonjour"}, follow_redirects=True
    )
    assert "votre message a bien été reçu".encode() in response.data
    response = client.get("/no-such-page")
    assert "Page introuvable".encode() in response.data
