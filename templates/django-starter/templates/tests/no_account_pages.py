def test_no_account_pages(client: Client) -> None:
    assert client.get("/accounts/login/").status_code == 404
{#- tests/test_pages.py includes this without auth: the account pages do not exist. -#}
