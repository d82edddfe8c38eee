    french = client.post(
        "/", data={"author": "Ada", "body": "Hello"}, headers={"Accept-Language": "fr"}
    )
    assert "Trop de messages depuis votre adresse." in french.get_data(as_text=True)
{#- tests/test_throttling.py includes this with i18n: the 429 message is translated. -#}
