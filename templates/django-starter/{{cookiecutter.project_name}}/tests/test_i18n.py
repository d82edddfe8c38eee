from django.test import Client
from django.urls import reverse
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
