import pytest
from django.test import Client
from django.urls import reverse
from error_pages import ERRORS, error_page
from pytest_django.asserts import assertContains, assertRedirects


def test_page_in_french(client: Client) -> None:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    assertContains(response, '<html lang="fr">')
    assertContains(response, "Votre nouveau projet Django est prêt.")


def test_language_switcher_is_on_every_page(client: Client) -> None:
    assertContains(client.get(reverse("home")), 'name="language"')


def test_language_switcher_changes_language(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/contact/"})
    assertRedirects(response, "/contact/", fetch_redirect_response=False)
    assertContains(client.get(reverse("contact")), "Envoyer")


def test_language_switcher_stays_on_this_site(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assertRedirects(response, "/", fetch_redirect_response=False)


FRENCH_TITLES = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
}


@pytest.mark.urls("error_pages")
@pytest.mark.parametrize("status", ERRORS)
def test_error_pages_in_french(client: Client, status: int) -> None:
    html = error_page(client, status, HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in html
    assert f"Erreur {status}" in html
    assert f"<h1>{FRENCH_TITLES[status]}</h1>" in html
