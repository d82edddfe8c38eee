def test_no_admin_site(client: Client) -> None:
    assert client.get("/admin/").status_code == 404
{#- tests/test_pages.py includes this without the admin: its site does not exist. -#}
